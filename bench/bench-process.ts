/** Shared by the benchmark phases: start a server process, call its API, read its metrics and memory. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const ADMIN = 'bench-admin-token-0123456789';

export interface Server {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Spawns `node [nodeArgs] script` and resolves with its URL once it logs that it listens. */
export async function startProcess(script: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<Server> {
  const child = spawn(process.execPath, [...nodeArgs, script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`start timed out: ${output}`)), 120_000);
    const onData = (d: Buffer) => {
      output += d;
      const m = /(?:listening |"url":")(http:\/\/[\d.:]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        output = '';
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
  child.stdout!.resume();
  return {
    url,
    child,
    stop: () =>
      new Promise((r) => {
        if (child.exitCode !== null) return r();
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}

export async function json(method: string, url: string, body?: unknown, token?: string): Promise<any> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function setUpFleet(url: string, drones: number): Promise<{ token: string; keys: string[]; ids: string[] }> {
  const tenant = await json('POST', `${url}/api/v1/tenants`, { name: 'bench' }, ADMIN);
  const email = `bench-${Date.now()}@example.com`;
  await json('POST', `${url}/api/v1/tenants/${tenant.id}/users`, { email, password: 'bench-password', role: 'admin' }, ADMIN);
  const { accessToken } = await json('POST', `${url}/api/v1/auth/login`, { email, password: 'bench-password' });
  const keys: string[] = [];
  const ids: string[] = [];
  for (let i = 0; i < drones; i++) {
    const d = await json('POST', `${url}/api/v1/drones`, { name: `bench-${i}` }, accessToken);
    keys.push(d.deviceKey);
    ids.push(d.id);
  }
  return { token: accessToken, keys, ids };
}

export async function processedPoints(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const m of text.matchAll(/^dronetrack_processed_points_total\{[^}]*\} (\d+(?:\.\d+)?)/gm)) total += Number(m[1]);
  return total;
}

/** Resident set size of a process, in MiB (Linux). */
export function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb ? Number(kb) / 1024 : NaN;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))];
}

/** V8 heap used / total and external memory of the server, in MiB, from its /metrics. */
export async function heapMiB(url: string): Promise<{ used: number; total: number; external: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const metric = (name: string) =>
    Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+(?:\\.\\d+)?(?:e\\+\\d+)?)`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return {
    used: metric('dronetrack_nodejs_heap_size_used_bytes'),
    total: metric('dronetrack_nodejs_heap_size_total_bytes'),
    external: metric('dronetrack_nodejs_external_memory_bytes'),
  };
}

/** Opens `GET /map/stream` and calls `onEvent` with each event's name and data until closed. */
export async function watchStream(
  url: string,
  token: string,
  onEvent: (event: string, data: any) => void,
): Promise<{ close(): Promise<void> }> {
  const controller = new AbortController();
  const res = await fetch(`${url}/api/v1/map/stream?access_token=${token}`, { signal: controller.signal });
  const pump = (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let idx: number;
        while ((idx = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, idx);
          buffer = buffer.slice(idx + 2);
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (data) onEvent(/^event: (.*)$/m.exec(block)?.[1] ?? 'message', JSON.parse(data));
        }
      }
    } catch {
      /* closed */
    }
  })();
  return {
    close: async () => {
      controller.abort();
      await pump;
    },
  };
}
