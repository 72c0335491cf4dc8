/**
 * Redis and a MongoDB-wire server for the split-role phases: the URLs in BENCH_REDIS_URL /
 * BENCH_MONGO_URL, or throw-away local servers: Debian's redis-server and SecantusDB from the
 * test cache's venv (`bash scripts/install-test-services.sh apt venv` installs both).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BenchServers {
  redisUrl: string;
  mongoUrl: string;
  mongoName: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function listening(port: number, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => (sock.destroy(), resolve(true)));
      sock.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not listen on ${port}`);
}

export async function benchServers(): Promise<BenchServers> {
  if (process.env.BENCH_REDIS_URL && process.env.BENCH_MONGO_URL) {
    return {
      redisUrl: process.env.BENCH_REDIS_URL,
      mongoUrl: process.env.BENCH_MONGO_URL,
      mongoName: 'BENCH_MONGO_URL',
      stop: async () => undefined,
    };
  }
  const cache = process.env.DRONETRACK_CACHE ?? join(homedir(), '.cache', 'dronetrack');
  const secantus = join(cache, 'venv', 'bin', 'secantusd-py');
  if (!existsSync('/usr/bin/redis-server') || !existsSync(secantus)) {
    throw new Error(
      'split-role phases need BENCH_REDIS_URL and BENCH_MONGO_URL, or redis-server and SecantusDB: bash scripts/install-test-services.sh apt venv',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'dt-bench-servers-'));
  mkdirSync(join(dir, 'mongo'));
  const [redisPort, mongoPort] = [await freePort(), await freePort()];
  // Redis as the deployment runs it: AOF, fsync every second, no eviction.
  const redis = spawn(
    '/usr/bin/redis-server',
    [
      '--port',
      String(redisPort),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: 'ignore' },
  );
  const mongo = spawn(
    secantus,
    ['--host', '127.0.0.1', '--port', String(mongoPort), '--storage-path', join(dir, 'mongo'), '--log-level', 'WARNING'],
    { stdio: 'ignore' },
  );
  const stop = async () => {
    for (const child of [redis, mongo]) if (child.exitCode === null) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    for (const child of [redis, mongo]) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all([listening(redisPort, redis, 'redis-server'), listening(mongoPort, mongo, 'SecantusDB')]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { redisUrl: `redis://127.0.0.1:${redisPort}`, mongoUrl: `mongodb://127.0.0.1:${mongoPort}/`, mongoName: 'SecantusDB', stop };
}
