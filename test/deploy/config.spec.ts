import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { parse } from 'yaml';
import { loadConfig, type AppConfig } from '../../libs/config/app-config.js';
import { freePort, redisBinary, reportMissing, waitForPort } from '../support/services.js';
import { REPO_ROOT } from './support/kustomize.js';
import { envNamesReadByProcess } from './support/rules.js';

/**
 * config/: `.env.example` is the complete, correct list of what the process reads, and the Redis
 * and MongoDB server settings the deployment mounts are valid for their servers. (That the dev
 * variant really mounts them is checked on the rendered output in kustomize.spec.ts.)
 */

const CONFIG_DIR = join(REPO_ROOT, 'config');

interface EnvEntry {
  name: string;
  value: string;
  line: number;
  comment: string | null;
}

function readEnvExample(): EnvEntry[] {
  const lines = readFileSync(join(CONFIG_DIR, '.env.example'), 'utf8').split('\n');
  const entries: EnvEntry[] = [];
  lines.forEach((text, i) => {
    if (text.trim() === '' || text.startsWith('#')) return;
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(text);
    if (!m) throw new Error(`config/.env.example line ${i + 1} is neither a comment nor NAME=value: ${text}`);
    const previous = i > 0 && lines[i - 1].startsWith('# ') ? lines[i - 1].slice(2).trim() : null;
    entries.push({ name: m[1], value: m[2], line: i + 1, comment: previous });
  });
  return entries;
}

/** A configuration with the per-run random secrets taken out, for comparison. */
function comparable(config: AppConfig): Record<string, unknown> {
  const { adminToken: _a, jwtSecret: _j, ...rest } = config;
  return { ...rest, roles: [...config.roles].sort() };
}

describe('config/.env.example', () => {
  const entries = readEnvExample();

  it("lists exactly the variables the process's configuration (libs/config) reads, each once", () => {
    const listed = entries.map((e) => e.name);
    expect(listed.filter((n, i) => listed.indexOf(n) !== i)).toEqual([]);
    expect([...new Set(listed)].sort()).toEqual([...envNamesReadByProcess()].sort());
    expect(listed).toContain('REGION');
  });

  it('says what each variable is in a one-line comment right above it, with no quoting or trailing blanks in values', () => {
    const problems = entries.flatMap((e) => [
      ...(e.comment && e.comment.length > 10 ? [] : [`line ${e.line} ${e.name}: no one-line comment above it`]),
      ...(/^["']|\s$/.test(e.value) ? [`line ${e.line} ${e.name}: value ${JSON.stringify(e.value)} (no quotes, no trailing blanks)`] : []),
    ]);
    expect(problems).toEqual([]);
  });

  it('holds the defaults: the process configured from it equals the process configured from an empty environment', () => {
    const env = Object.fromEntries(entries.map((e) => [e.name, e.value]));
    const fromExample = loadConfig(env);
    const fromNothing = loadConfig({});
    expect(comparable(fromExample)).toEqual(comparable(fromNothing));
    // Empty secrets mean "generate one", as with nothing set.
    expect(fromExample.adminTokenGenerated).toBe(true);
  });

  it('is kept out of git as .env and out of the image (only the example is committed)', () => {
    const gitignore = readFileSync(join(REPO_ROOT, '.gitignore'), 'utf8').split('\n');
    expect(gitignore).toContain('.env');
    expect(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n')).toContain('config');
  });
});

describe('config/redis/redis.conf', () => {
  const text = readFileSync(join(CONFIG_DIR, 'redis/redis.conf'), 'utf8');
  const directives = new Map(
    text
      .split('\n')
      .filter((l) => l.trim() && !l.trim().startsWith('#'))
      .map((l) => {
        const [key, ...rest] = l.trim().split(/\s+/);
        return [key.toLowerCase(), rest.join(' ')] as const;
      }),
  );

  it('states the persistence and eviction settings Bull needs', () => {
    expect(directives.get('appendonly')).toBe('yes');
    expect(directives.get('maxmemory-policy')).toBe('noeviction');
    expect(directives.get('dir')).toBe('/data');
    expect(directives.get('maxmemory')).toMatch(/^\d+(mb|gb)$/);
  });

  const bin = redisBinary();
  if (!bin) reportMissing('redis-server (to load config/redis/redis.conf)');
  (bin ? it : it.skip)(
    'is accepted by redis-server, which then reports those settings',
    async () => {
      // The file as the pod gets it, except dir (/data exists only in the container) and the listen address.
      const dir = mkdtempSync(join(tmpdir(), 'dt-redis-conf-'));
      const port = await freePort();
      writeFileSync(join(dir, 'redis.conf'), text.replace(/^dir .*$/m, `dir ${dir}`));
      const child = spawn(bin!, [join(dir, 'redis.conf'), '--port', String(port), '--bind', '127.0.0.1'], { stdio: 'ignore' });
      let client: Redis | null = null;
      try {
        await waitForPort(port, child, 'redis-server');
        client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
        await client.connect();
        const get = async (key: string) => ((await client!.config('GET', key)) as string[])[1];
        expect(await get('appendonly')).toBe('yes');
        expect(await get('maxmemory-policy')).toBe('noeviction');
        expect(await get('appendfsync')).toBe('everysec');
        const [, n, unit] = /^(\d+)(mb|gb)$/.exec(directives.get('maxmemory')!)!;
        expect(Number(await get('maxmemory'))).toBe(Number(n) * 2 ** (unit === 'gb' ? 30 : 20));
        expect(await get('protected-mode')).toBe('no');
      } finally {
        client?.disconnect();
        child.kill('SIGTERM');
        await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
        rmSync(dir, { recursive: true, force: true });
      }
    },
    30_000,
  );
});

describe('config/mongodb/mongod.conf', () => {
  it('is mongod YAML: standalone, bound to all interfaces, dbPath /data/db, a WiredTiger cache below the container limit', () => {
    const conf = parse(readFileSync(join(CONFIG_DIR, 'mongodb/mongod.conf'), 'utf8'));
    expect(Object.keys(conf).sort()).toEqual(['net', 'storage']);
    expect(conf.net).toEqual({ port: 27017, bindIpAll: true });
    expect(conf.storage.dbPath).toBe('/data/db');
    const cacheGb = conf.storage.wiredTiger.engineConfig.cacheSizeGB;
    expect(cacheGb).toBeGreaterThan(0);
    expect(cacheGb).toBeLessThanOrEqual(0.5); // the container's limit is 1Gi
  });
});
