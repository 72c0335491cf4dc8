/**
 * Starts the real servers the adapter suites need on free loopback ports: redis-server, and two
 * independent MongoDB-wire servers, FerretDB on PostgreSQL and SecantusDB (WiredTiger), so the
 * MongoDB adapters are proven against both (see mongo-servers.ts). A missing binary is reported
 * loudly and the dependent suites skip, unless DRONETRACK_REQUIRE_SERVICES=1 (set by test:ci),
 * which turns it into a failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-ignore TS2835 (global setup loads this file through Jest's CommonJS transform)
import { postgresBinDir, startPostgres } from './postgres';

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

export const servicesRequired = process.env.DRONETRACK_REQUIRE_SERVICES === '1';

/** Where scripts/install-test-services.sh puts what it builds and installs. */
export function testCacheDir(): string {
  return process.env.DRONETRACK_CACHE ?? join(homedir(), '.cache', 'dronetrack');
}

export function ferretdbBinary(): string {
  return process.env.FERRETDB_BIN ?? join(testCacheDir(), 'bin', 'ferretdb');
}

/** SecantusDB's server, pip-installed into the cached venv next to schemathesis. */
export function secantusBinary(): string {
  return process.env.SECANTUSD_BIN ?? join(testCacheDir(), 'venv', 'bin', 'secantusd-py');
}

export function redisBinary(): string | null {
  const candidates = [process.env.REDIS_SERVER_BIN, '/usr/bin/redis-server', '/usr/local/bin/redis-server'];
  return candidates.find((c): c is string => !!c && existsSync(c)) ?? null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, child: ChildProcess, name: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} before listening`);
    const open = await new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => (sock.destroy(), resolve(true)));
      sock.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not listen on port ${port} within ${timeoutMs} ms`);
}

/**
 * If Jest dies without running global teardown (SIGKILL, a crash), a detached watchdog stops what
 * global setup started: once this process is gone it SIGTERMs the server (only while that pid is
 * still running `bin`) and runs `cleanup` (shell commands), so no server outlives the run.
 */
function watchdog(child: ChildProcess, bin: string, cleanup: string[]): ChildProcess {
  const pid = child.pid ?? 0;
  const script = [
    `while kill -0 ${process.pid} 2>/dev/null; do sleep 2; done`,
    `case "$(tr '\\0' ' ' < /proc/${pid}/cmdline 2>/dev/null)" in *'${bin}'*) kill -TERM ${pid}; sleep 3 ;; esac`,
    ...cleanup,
  ].join('\n');
  const dog = spawn('bash', ['-c', script], { detached: true, stdio: 'ignore' });
  dog.unref();
  return dog;
}

function stopper(child: ChildProcess, dir: string, after?: () => void, dog?: ChildProcess): () => Promise<void> {
  return async () => {
    dog?.kill('SIGKILL');
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    after?.();
    rmSync(dir, { recursive: true, force: true });
  };
}

export async function startRedis(): Promise<RunningServer | null> {
  const bin = redisBinary();
  if (!bin) return null;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'dt-redis-'));
  // AOF with fsync on every write: the same durability the deployment documents for Bull jobs.
  const child = spawn(
    bin,
    [
      '--port',
      String(port),
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
  await waitForPort(port, child, 'redis-server');
  const dog = watchdog(child, bin, [`rm -rf '${dir}'`]);
  return { url: `redis://127.0.0.1:${port}`, stop: stopper(child, dir, undefined, dog) };
}

/**
 * FerretDB with its postgresql handler on a throw-away PostgreSQL cluster (postgres.ts). The
 * sqlite handler pushes no filter but _id down, so every indexed query scanned whole collections.
 * Returns null when FerretDB or PostgreSQL is not installed.
 */
export async function startFerretDb(): Promise<RunningServer | null> {
  const bin = ferretdbBinary();
  const pgBin = postgresBinDir();
  if (!existsSync(bin) || !pgBin) return null;
  const pg = startPostgres(pgBin, await freePort());
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'dt-ferret-'));
  const log = openSync(join(dir, 'ferretdb.log'), 'w');
  const child = spawn(
    bin,
    [
      '--handler=postgresql',
      `--postgresql-url=${pg.url}`,
      `--listen-addr=127.0.0.1:${port}`,
      `--state-dir=${dir}`,
      '--telemetry=disable',
      '--log-level=error',
      '--debug-addr=-',
    ],
    { stdio: ['ignore', log, log] },
  );
  closeSync(log);
  try {
    await waitForPort(port, child, 'ferretdb');
  } catch (e) {
    const tail = readFileSync(join(dir, 'ferretdb.log'), 'utf8').split('\n').slice(-15).join('\n');
    await stopper(child, dir, () => pg.stop())();
    throw new Error(`${(e as Error).message}\n${tail}`, { cause: e });
  }
  const dog = watchdog(child, bin, [`rm -rf '${dir}'`, pg.shutdownScript]);
  return { url: `mongodb://127.0.0.1:${port}/`, stop: stopper(child, dir, () => pg.stop(), dog) };
}

/**
 * SecantusDB (a second, independent MongoDB-wire server: Python on WiredTiger, reports MongoDB
 * 8.2). GPL-2.0; only ever started here as a test server. It advertises itself as a single-node
 * replica set, so drivers discover it as a primary. Returns null when it is not installed.
 */
export async function startSecantus(): Promise<RunningServer | null> {
  const bin = secantusBinary();
  if (!existsSync(bin)) return null;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'dt-secantus-'));
  const log = openSync(join(dir, 'secantusd.log'), 'w');
  const child = spawn(bin, ['--host', '127.0.0.1', '--port', String(port), '--storage-path', join(dir, 'data'), '--log-level', 'WARNING'], {
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  try {
    // A Python server: importing its modules takes a few seconds on a loaded machine.
    await waitForPort(port, child, 'secantusd-py', 60_000);
  } catch (e) {
    const tail = readFileSync(join(dir, 'secantusd.log'), 'utf8').split('\n').slice(-15).join('\n');
    await stopper(child, dir)();
    throw new Error(`${(e as Error).message}\n${tail}`, { cause: e });
  }
  const dog = watchdog(child, bin, [`rm -rf '${dir}'`]);
  return { url: `mongodb://127.0.0.1:${port}/`, stop: stopper(child, dir, undefined, dog) };
}

/** Says loudly why a suite is skipped, or fails when CI requires the services. */
export function reportMissing(what: string): void {
  if (servicesRequired) {
    throw new Error(
      `\n*** ${what} is not available, and DRONETRACK_REQUIRE_SERVICES=1 requires it. Run scripts/install-test-services.sh. ***\n`,
    );
  }
  console.warn(
    `\n*** ${what} is not available: its adapter suites are SKIPPED. ` +
      'Run scripts/install-test-services.sh, or set DRONETRACK_REQUIRE_SERVICES=1 to make this fatal. ***\n',
  );
}
