/**
 * Starts the real servers the adapter suites need (redis-server, FerretDB on SQLite) on free
 * loopback ports. A missing binary is reported loudly and the dependent suites skip, unless
 * DRONETRACK_REQUIRE_SERVICES=1 (set by .ci/run), which turns it into a failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

export const servicesRequired = process.env.DRONETRACK_REQUIRE_SERVICES === '1';

export function ferretdbBinary(): string {
  return process.env.FERRETDB_BIN ?? join(process.env.DRONETRACK_CACHE ?? join(homedir(), '.cache', 'dronetrack'), 'bin', 'ferretdb');
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

async function waitForPort(port: number, child: ChildProcess, name: string, timeoutMs = 20_000): Promise<void> {
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

function stopper(child: ChildProcess, dir: string): () => Promise<void> {
  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
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
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes',
      '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction'],
    { stdio: 'ignore' },
  );
  await waitForPort(port, child, 'redis-server');
  return { url: `redis://127.0.0.1:${port}`, stop: stopper(child, dir) };
}

export async function startFerretDb(): Promise<RunningServer | null> {
  const bin = ferretdbBinary();
  if (!existsSync(bin)) return null;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'dt-ferret-'));
  const child = spawn(
    bin,
    ['--handler=sqlite', `--sqlite-url=file:${dir}/`, `--listen-addr=127.0.0.1:${port}`, `--state-dir=${dir}`,
      '--telemetry=disable', '--log-level=error', '--debug-addr=-'],
    { stdio: 'ignore' },
  );
  await waitForPort(port, child, 'ferretdb');
  return { url: `mongodb://127.0.0.1:${port}/`, stop: stopper(child, dir) };
}

/** Says loudly why a suite is skipped, or fails when CI requires the services. */
export function reportMissing(what: string): void {
  const msg = `\n*** ${what} is not available: its adapter suites are SKIPPED. ` +
    'Run scripts/install-test-services.sh, or set DRONETRACK_REQUIRE_SERVICES=1 to make this fatal. ***\n';
  if (servicesRequired) throw new Error(msg);
  console.warn(msg);
}
