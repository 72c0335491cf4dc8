/**
 * The fleet-read phase of `npm run bench`: reads at fleet scale in one process.
 * 1. BENCH_FLEET_DRONES (default 100,000) drones in one tenant, each reporting one position,
 *    spread around Berlin at the density of the issue's 20,000-drone measurement (20,000 drones
 *    over 1.5° × 1°, about 190 in the 10 × 11 km city box): a larger fleet covers a larger region
 *    (100,000: 3.35° × 2.24°), so the city box holds about as many drones as before;
 * 2. `GET /map/drones` for the city box (10 connections) and for the whole world (limit 10,000,
 *    one connection): req/s, p50/p99;
 * 3. `GET /api/v1/me` against `GET /health/live` of the same process (the per-request cost of
 *    authentication).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ADMIN, json, processedPoints, startProcess } from './bench-process.js';

const DRONES = Number(process.env.BENCH_FLEET_DRONES ?? 100_000);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CITY = '13.30,52.45,13.447,52.55';
/** Side scale of the region: the same drones per km² as 20,000 drones over 1.5° × 1°. */
const SPREAD = Math.sqrt(Math.max(1, DRONES / 20_000));

/** Runs `task(i)` for i in [0, n) with at most `width` in flight. */
async function pool(n: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

async function fleet(url: string): Promise<string> {
  const tenant = await json('POST', `${url}/api/v1/tenants`, { name: 'fleet' }, ADMIN);
  const email = `fleet-${Date.now()}@example.com`;
  await json('POST', `${url}/api/v1/tenants/${tenant.id}/users`, { email, password: 'bench-password', role: 'admin' }, ADMIN);
  const { accessToken } = await json('POST', `${url}/api/v1/auth/login`, { email, password: 'bench-password' });
  const before = await processedPoints(url);
  const now = Date.now();
  // A deterministic spread: the same drones land in the city box on every run.
  await pool(DRONES, 16, async (i) => {
    const d = await json('POST', `${url}/api/v1/drones`, { name: `fleet-${i}` }, accessToken);
    const lat = 52.0 + (((i * 7919) % 10_000) / 10_000) * SPREAD;
    const lon = 12.6 + (((i * 104_729) % 15_000) / 10_000) * SPREAD;
    await json(
      'POST',
      `${url}/api/v1/telemetry`,
      { timestamp: now - 1000, lat, lon, altitude: 120, speed: 10, heading: i % 360, battery: 80, status: 'airborne' },
      d.deviceKey,
    );
  });
  while ((await processedPoints(url)) - before < DRONES) await new Promise((r) => setTimeout(r, 200));
  return accessToken;
}

async function hammer(url: string, connections: number, token?: string): Promise<autocannon.Result> {
  return autocannon({ url, connections, duration: DURATION, headers: token ? { authorization: `Bearer ${token}` } : {} });
}

const row = (label: string, what: string, r: autocannon.Result) =>
  `| ${label} | ${what}: req/s, p50 / p99 | ${r.requests.average.toFixed(0)}, ${r.latency.p50} ms / ${r.latency.p99} ms${r.non2xx ? ` (${r.non2xx} non-2xx)` : ''} |`;

export async function fleetReadPhase(label: string, mainJs: string, env: Record<string, string>): Promise<string[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dt-bench-fleet-'));
  // Each drone reports once: without a long offline threshold, the whole fleet would go silent
  // during the reads, and the offline alerts of 100,000 drones (opened 500 per second) would be
  // measured instead of the reads. A live fleet keeps reporting.
  const product = await startProcess(mainJs, { ...env, DATA_DIR: dataDir, OFFLINE_AFTER_SECONDS: '86400' });
  try {
    const setUpStarted = Date.now();
    const token = await fleet(product.url);
    const setUpSeconds = (Date.now() - setUpStarted) / 1000;
    const sample = await json('GET', `${product.url}/api/v1/map/drones?bbox=${CITY}`, undefined, token);
    const city = await hammer(`${product.url}/api/v1/map/drones?bbox=${CITY}`, 10, token);
    // One viewer at a time: a 4 MB answer, where concurrent readers only queue on the one core.
    const world = await hammer(`${product.url}/api/v1/map/drones?limit=10000`, 1, token);
    const live = await hammer(`${product.url}/health/live`, 50);
    const me = await hammer(`${product.url}/api/v1/me`, 50, token);
    return [
      `| ${label} | fleet set up: ${DRONES} drones, one position each | ${setUpSeconds.toFixed(0)} s |`,
      row(label, `GET /map/drones city box (${sample.features.length} drones)`, city),
      row(label, 'GET /map/drones whole world (10,000 of the features, truncated)', world),
      row(label, 'GET /health/live', live),
      `${row(label, 'GET /api/v1/me', me).slice(0, -2)} (${((me.requests.average / live.requests.average) * 100).toFixed(0)}% of /health/live) |`,
    ];
  } finally {
    await product.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
