/**
 * Spawns and stops built dronetrack processes (`node dist/src/main.js`) the way a container runs
 * them: a complete environment given by the test (nothing inherited but PATH), one process per
 * role. Every process started here is SIGKILLed by `killAllProcesses()` (call it in afterAll) and,
 * as a last resort, when the test worker exits.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MAIN_JS = 'dist/src/main.js';
export const START_ARGV = ['node', MAIN_JS];

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds the server (`npm run build`, as test/deploy/dockerfile.spec.ts does) when
 * dist/src/main.js is missing. Test files run in parallel workers: a lock directory makes one
 * of them build while the others wait. A build older than the sources is only reported, since
 * `nest build` empties dist/ first and would break processes other suites are running.
 */
export function ensureBuild(): void {
  const main = join(REPO_ROOT, MAIN_JS);
  const lock = join(tmpdir(), `dronetrack-build-${Buffer.from(REPO_ROOT).toString('hex').slice(-24)}.lock`);
  const deadline = Date.now() + 15 * 60_000;
  while (!existsSync(main)) {
    try {
      mkdirSync(lock);
    } catch {
      if (Date.now() > deadline) throw new Error(`waited too long for another worker's build (lock ${lock})`);
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
      sleepSync(500);
      continue;
    }
    try {
      if (existsSync(main)) break;
      console.log('processes: dist/src/main.js is missing, running npm run build');
      const r = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 10 * 60_000 });
      if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  const built = statSync(main).mtimeMs;
  const source = Math.max(newestSource(join(REPO_ROOT, 'src')), newestSource(join(REPO_ROOT, 'libs')));
  if (source > built) {
    console.warn(`\n*** ${MAIN_JS} is older than the sources: these process tests run the previous build. Run npm run build. ***\n`);
  }
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnOptions {
  /** Shown in failures and logs. */
  name: string;
  /** The process's whole environment (PATH is added so `node` resolves). */
  env: Record<string, string>;
  /** Default: the image's command, `node dist/src/main.js`; `node` (any path) runs the Node.js running the tests. */
  argv?: string[];
}

const MAX_OUTPUT = 2 * 1024 * 1024;
const running = new Set<AppProcess>();

process.once('exit', () => {
  for (const p of running) p.child.kill('SIGKILL');
});

/** One spawned process with its captured stdout/stderr. */
export class AppProcess {
  readonly child: ChildProcess;
  readonly name: string;
  readonly env: Record<string, string>;
  readonly exited: Promise<Exit>;
  readonly startedAt = Date.now();
  private stdout = '';
  private stderr = '';

  constructor(options: SpawnOptions) {
    this.name = options.name;
    this.env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env };
    const [cmd, ...args] = options.argv ?? START_ARGV;
    this.child = spawn(basename(cmd) === 'node' ? process.execPath : cmd, args, {
      cwd: REPO_ROOT,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(this);
    this.child.stdout!.setEncoding('utf8').on('data', (s: string) => (this.stdout = (this.stdout + s).slice(-MAX_OUTPUT)));
    this.child.stderr!.setEncoding('utf8').on('data', (s: string) => (this.stderr = (this.stderr + s).slice(-MAX_OUTPUT)));
    this.exited = new Promise<Exit>((done) => {
      this.child.once('error', (err) => {
        this.stderr += `spawn failed: ${err.message}\n`;
        running.delete(this);
        done({ code: -1, signal: null });
      });
      // 'close': the process exited and its output is fully read.
      this.child.once('close', (code, signal) => {
        running.delete(this);
        done({ code, signal });
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The loopback URL of the process's PORT. */
  get url(): string {
    return `http://127.0.0.1:${this.env.PORT ?? '3000'}`;
  }

  output(): string {
    return `--- ${this.name} (pid ${this.pid}) stdout ---\n${this.stdout.slice(-20_000)}\n--- stderr ---\n${this.stderr.slice(-20_000)}`;
  }

  get stdoutText(): string {
    return this.stdout;
  }

  get stderrText(): string {
    return this.stderr;
  }

  /** The structured log lines (JSON on stdout). */
  logs(): Record<string, unknown>[] {
    return this.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  }

  /** Resolves when GET /health/ready answers 200; fails with the output if the process exits first. */
  async ready(timeoutMs = 30_000): Promise<this> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (!this.running)
        throw new Error(`${this.name} exited (${JSON.stringify(await this.exited)}) before it was ready\n${this.output()}`);
      try {
        const res = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(2000) });
        last = `${res.status} ${await res.text()}`;
        if (res.status === 200) return this;
      } catch (err) {
        last = String(err);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.name} was not ready within ${timeoutMs} ms (last: ${last})\n${this.output()}`);
  }

  /** Sends `signal` and waits for the exit; returns how it ended and how long it took. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 60_000): Promise<Exit & { ms: number }> {
    const sent = Date.now();
    if (this.running) this.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([this.exited, new Promise<null>((r) => (timer = setTimeout(() => r(null), timeoutMs)))]);
    clearTimeout(timer);
    if (!exit) {
      this.child.kill('SIGKILL');
      throw new Error(`${this.name} did not exit within ${timeoutMs} ms of ${signal}\n${this.output()}`);
    }
    return { ...exit, ms: Date.now() - sent };
  }
}

/** Starts one process (does not wait for readiness: see `ready()`). */
export function spawnApp(options: SpawnOptions): AppProcess {
  return new AppProcess(options);
}

/** Runs a process that is expected to exit by itself; kills it after `timeoutMs`. */
export async function runToExit(
  options: SpawnOptions,
  timeoutMs = 20_000,
): Promise<Exit & { ms: number; stdout: string; stderr: string; timedOut: boolean }> {
  const p = new AppProcess(options);
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([p.exited, new Promise<null>((r) => (timer = setTimeout(() => r(null), timeoutMs)))]);
  clearTimeout(timer);
  const timedOut = exit === null;
  const final = exit ?? (p.child.kill('SIGKILL'), await p.exited);
  return { ...final, ms: Date.now() - p.startedAt, stdout: p.stdoutText, stderr: p.stderrText, timedOut };
}

/** SIGKILLs every process this worker started that is still running, and waits for them. */
export async function killAllProcesses(): Promise<void> {
  const left = [...running];
  for (const p of left) p.child.kill('SIGKILL');
  await Promise.all(left.map((p) => p.exited));
}
