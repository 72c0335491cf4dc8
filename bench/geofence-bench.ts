/**
 * Geofence phase of `npm run bench` (also runs alone: `node dist-bench/bench/geofence-bench.js`).
 * Batched end-to-end throughput of a tenant with no geofences vs one with 1,000 active geofences
 * (same process, runs alternating), and
 * the p99 delay from a point's 202 to its alert's `event: alert` on the map stream while a
 * batched load runs. Embedded adapters, one process, this machine.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { watchStream } from './bench-process.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ADMIN = 'bench-admin-token-0123456789';
/** Long enough that neither side is capped by the run's ramp (150 batches gave both ~74k points/s). */
const BATCHES = Number(process.env.GEOFENCE_BENCH_BATCHES ?? 600);
/** The load under which the alert delay is probed. */
const LOAD_BATCHES = Number(process.env.GEOFENCE_BENCH_LOAD_BATCHES ?? 150);
const SAMPLES = Number(process.env.GEOFENCE_BENCH_SAMPLES ?? 100);
let ts = Date.now() - 3_600_000;

async function start(env: Record<string, string>): Promise<{ url: string; stop: () => Promise<void> }> {
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, join(root, 'dist', 'src', 'main.js')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`start timed out: ${out}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /(?:listening |"url":")(http:\/\/[\d.:]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  child.stdout!.resume();
  return { url, stop: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', () => r()), child.kill('SIGTERM')))) };
}

async function json(method: string, url: string, body?: unknown, token?: string): Promise<any> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

async function processed(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const m of text.matchAll(/^dronetrack_processed_points_total\{[^}]*\} (\d+(?:\.\d+)?)/gm)) total += Number(m[1]);
  return total;
}

/** 1,000-point batches from the fleet along a diagonal through the geofence grid; points/s until all are processed. */
async function batched(url: string, keys: string[], batches: number): Promise<number> {
  const before = await processed(url);
  const started = Date.now();
  let i = 0;
  const result = await autocannon({
    url: `${url}/api/v1/telemetry`,
    connections: 8,
    amount: batches,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          i++;
          const points = Array.from({ length: 1000 }, (_, k) => ({
            timestamp: ++ts,
            lat: 48 + k / 10_000,
            lon: 2 + k / 10_000,
            heightAgl: 80,
            battery: 70,
            status: 'airborne',
          }));
          return {
            ...req,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${keys[i % keys.length]}` },
            body: JSON.stringify({ points }),
          };
        },
      },
    ],
  });
  const accepted = result['2xx'] * 1000;
  while ((await processed(url)) - before < accepted) await new Promise((r) => setTimeout(r, 50));
  return accepted / ((Date.now() - started) / 1000);
}

/** 1,000 small keep-out squares on a 32 × 32 grid over the area the batches cross. */
async function createGeofences(url: string, token: string): Promise<{ lon: number; lat: number }> {
  const cells = Array.from({ length: 1000 }, (_, n) => ({ lon: 1.5 + (n % 32) / 32, lat: 47.5 + Math.floor(n / 32) / 32 }));
  for (let i = 0; i < cells.length; i += 25) {
    await Promise.all(
      cells.slice(i, i + 25).map((c, j) => {
        const d = 0.004;
        const ring = [
          [c.lon - d, c.lat - d],
          [c.lon + d, c.lat - d],
          [c.lon + d, c.lat + d],
          [c.lon - d, c.lat + d],
          [c.lon - d, c.lat - d],
        ];
        return json(
          'POST',
          `${url}/api/v1/geofences`,
          { name: `g${i + j}`, rule: 'keep-out', geometry: { type: 'Polygon', coordinates: [ring] }, floor: 0, ceiling: 120 },
          token,
        );
      }),
    );
  }
  return cells[0];
}

/** Alternates a point inside a geofence (opens) and outside (resolves); p50/p99 from the 202 to the `event: alert` that opened. */
async function alertDelay(
  url: string,
  token: string,
  key: string,
  droneId: string,
  cell: { lon: number; lat: number },
): Promise<{ p50: number; p99: number }> {
  const opened = new Map<string, number>();
  const stream = await watchStream(url, token, (event, a) => {
    if (event === 'alert' && a.droneId === droneId && a.state === 'open' && a.acknowledgedAt === null)
      opened.set(a.position.timestamp, performance.now());
  });
  const delays: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    const post = (lon: number) =>
      fetch(`${url}/api/v1/telemetry`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ timestamp: ++ts, lat: cell.lat, lon, status: 'airborne' }),
      });
    const inside = await post(cell.lon);
    const acked = performance.now();
    const iso = new Date(ts).toISOString();
    await inside.text();
    const deadline = acked + 10_000;
    while (!opened.has(iso) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    delays.push((opened.get(iso) ?? deadline) - acked);
    await (await post(cell.lon + 0.5)).text();
    await new Promise((r) => setTimeout(r, 50));
  }
  await stream.close();
  delays.sort((a, b) => a - b);
  return { p50: delays[Math.floor(delays.length / 2)], p99: delays[Math.ceil(delays.length * 0.99) - 1] };
}

/** A tenant with an admin and 50 drones; returns the admin token, drone ids and device keys. */
async function fleet(url: string, name: string): Promise<{ token: string; ids: string[]; keys: string[] }> {
  const tenant = await json('POST', `${url}/api/v1/tenants`, { name }, ADMIN);
  const email = `${name}-${Date.now()}@example.com`;
  await json('POST', `${url}/api/v1/tenants/${tenant.id}/users`, { email, password: 'bench-password', role: 'admin' }, ADMIN);
  const { accessToken } = await json('POST', `${url}/api/v1/auth/login`, { email, password: 'bench-password' });
  const drones = [];
  for (let i = 0; i < 50; i++) drones.push(await json('POST', `${url}/api/v1/drones`, { name: `${name}-${i}` }, accessToken));
  return { token: accessToken, ids: drones.map((d) => d.id as string), keys: drones.map((d) => d.deviceKey as string) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Two tenants in one process, one without geofences and one with 1,000; their batched runs
 * alternate (ROUNDS each) so both see the same machine conditions, and the medians are compared.
 */
export async function runGeofenceBench(): Promise<string[]> {
  const rounds = Number(process.env.GEOFENCE_BENCH_ROUNDS ?? 3);
  const dataDir = mkdtempSync(join(tmpdir(), 'dt-geobench-'));
  const app = await start({
    PORT: '0',
    HOST: '127.0.0.1',
    ADMIN_TOKEN: ADMIN,
    JWT_SECRET: 'bench-jwt-secret-0123456789-0123456789',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    RATE_LIMIT_DEVICE_MAX: '0',
    RATE_LIMIT_USER_MAX: '0',
    RATE_LIMIT_LOGIN_MAX: '0',
    OFFLINE_AFTER_SECONDS: '3600',
  });
  try {
    const plain = await fleet(app.url, 'geo-none');
    const fenced = await fleet(app.url, 'geo-1000');
    const cell = await createGeofences(app.url, fenced.token);
    await batched(app.url, plain.keys, 50); // warm-up
    const without: number[] = [];
    const withFences: number[] = [];
    for (let r = 0; r < rounds; r++) {
      without.push(await batched(app.url, plain.keys, BATCHES));
      withFences.push(await batched(app.url, fenced.keys, BATCHES));
    }
    const load = batched(app.url, fenced.keys.slice(1), LOAD_BATCHES);
    const delay = await alertDelay(app.url, fenced.token, fenced.keys[0], fenced.ids[0], cell);
    await load;
    const a = median(without);
    const b = median(withFences);
    const runs = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
    return [
      `| geofences (embedded) | batched points/s end to end, no geofences (median of ${runs(without)}) | ${a.toFixed(0)} |`,
      `| geofences (embedded) | batched points/s end to end, 1,000 active geofences (median of ${runs(withFences)}) | ${b.toFixed(0)} (${((b / a) * 100).toFixed(0)}% of no geofences) |`,
      `| geofences (embedded) | 202 → event: alert (opened), p50 / p99, under batched load | ${delay.p50.toFixed(1)} ms / ${delay.p99.toFixed(1)} ms |`,
    ];
  } finally {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runGeofenceBench()
    .then((rows) => process.stdout.write(`| setup | measure | result |\n|---|---|---|\n${rows.join('\n')}\n`))
    .catch((err: unknown) => {
      process.stderr.write(`geofence bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    });
}
