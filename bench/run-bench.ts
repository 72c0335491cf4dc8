/**
 * `npm run bench`: drives the product and a bare Fastify baseline with autocannon from this machine.
 * Reports single-point ingest (req/s, p50/p99, ratio to bare Fastify in interleaved rounds), batched points/s end to end
 * (until processed and queryable), and the p99 delay from 202 to the point showing on the map.
 * Embedded by default; with BENCH_REDIS_URL / BENCH_MONGO_URL (or REDIS_URL / MONGO_URL) also on those.
 * Then the sustained embedded phase (bench/sustained-bench.ts): 10 M points, memory, track
 * latency and a restart on the same data (BENCH_SUSTAINED_POINTS=0 skips it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { ADMIN, processedPoints, setUpFleet, startProcess, watchStream } from './bench-process.js';
import { benchFlights } from './flights-bench.js';
import { runGeofenceBench } from './geofence-bench.js';
import { benchServers } from './bench-servers.js';
import { fleetReadPhase } from './fleet-read-bench.js';
import { freshnessPhase } from './freshness-bench.js';
import { sustainedEmbedded } from './sustained-bench.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

let tsCounter = Date.now() - 3_600_000;
function pointBody(i: number): string {
  tsCounter += 1;
  return JSON.stringify({
    timestamp: tsCounter,
    lat: 48 + (i % 1000) / 1000,
    lon: 2 + (i % 700) / 1000,
    altitude: 120,
    speed: 12,
    heading: i % 360,
    battery: 80,
    status: 'airborne',
  });
}

async function singlePoint(url: string, keys: string[]): Promise<autocannon.Result> {
  let i = 0;
  return autocannon({
    url: `${url}/api/v1/telemetry`,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          i++;
          return {
            ...req,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${keys[i % keys.length]}` },
            body: pointBody(i),
          };
        },
      },
    ],
  });
}

async function batched(
  url: string,
  keys: string[],
): Promise<{ pointsPerSecond: number; ingestPointsPerSecond: number; points: number; seconds: number }> {
  const BATCH = 1000;
  const REQUESTS = Number(process.env.BENCH_BATCHES ?? 300);
  const before = await processedPoints(url);
  let i = 0;
  const started = Date.now();
  const result = await autocannon({
    url: `${url}/api/v1/telemetry`,
    connections: 8,
    amount: REQUESTS,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          i++;
          const points = Array.from({ length: BATCH }, (_, k) => {
            tsCounter += 1;
            return {
              timestamp: tsCounter,
              lat: 48 + k / 10000,
              lon: 2 + k / 10000,
              speed: 10,
              heading: 90,
              battery: 70,
              status: 'airborne',
            };
          });
          return {
            ...req,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${keys[i % keys.length]}` },
            body: JSON.stringify({ points }),
          };
        },
      },
    ],
  });
  const accepted = result['2xx'] * BATCH;
  const ingestSeconds = (Date.now() - started) / 1000;
  const deadline = Date.now() + 300_000;
  while ((await processedPoints(url)) - before < accepted && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const seconds = (Date.now() - started) / 1000;
  return { pointsPerSecond: accepted / seconds, ingestPointsPerSecond: accepted / ingestSeconds, points: accepted, seconds };
}

/** p50/p99 of the time from a 202 until the point's state event arrives (it is then in /map/drones). */
async function visibilityDelay(
  url: string,
  token: string,
  key: string,
  droneId: string,
  samples = 200,
): Promise<{ p50: number; p99: number }> {
  const seen = new Map<string, number>();
  const stream = await watchStream(url, token, (_event, f) => {
    if (f.id === droneId) seen.set(f.properties.timestamp, performance.now());
  });
  await new Promise((r) => setTimeout(r, 200));
  const delays: number[] = [];
  for (let s = 0; s < samples; s++) {
    const ts = Date.now();
    const iso = new Date(ts).toISOString();
    const r = await fetch(`${url}/api/v1/telemetry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ timestamp: ts, lat: 50 + s / 1000, lon: 8, status: 'airborne' }),
    });
    const acked = performance.now();
    await r.text();
    const deadline = acked + 10_000;
    while (!seen.has(iso) && performance.now() < deadline) await new Promise((r2) => setTimeout(r2, 1));
    delays.push(Math.max(0, (seen.get(iso) ?? deadline) - acked));
    await new Promise((r2) => setTimeout(r2, 20));
  }
  await stream.close();
  delays.sort((a, b) => a - b);
  return { p50: delays[Math.floor(delays.length * 0.5)], p99: delays[Math.floor(delays.length * 0.99) - 1] ?? delays.at(-1)! };
}

const MAIN_JS = join(root, 'dist', 'src', 'main.js');
const PRODUCT_ENV = {
  PORT: '0',
  HOST: '127.0.0.1',
  ADMIN_TOKEN: ADMIN,
  JWT_SECRET: 'bench-jwt-secret-0123456789-0123456789',
  LOG_LEVEL: 'info',
  RATE_LIMIT_DEVICE_MAX: '0',
  RATE_LIMIT_USER_MAX: '0',
  RATE_LIMIT_LOGIN_MAX: '0',
};

/**
 * Single-point rounds: the machine's speed drifts over minutes (a shared VM), so each round
 * measures bare Fastify and then the product back to back, and the ratio reported is the median
 * of the rounds' ratios. Every round's pair is printed too.
 */
const INGEST_ROUNDS = Number(process.env.BENCH_INGEST_ROUNDS ?? 3);

interface SingleRound {
  baseline: autocannon.Result;
  product: autocannon.Result;
  ratio: number;
}

async function benchProduct(label: string, env: Record<string, string>, baselineUrl: string): Promise<string[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dt-bench-'));
  const product = await startProcess(MAIN_JS, { ...PRODUCT_ENV, DATA_DIR: dataDir, ...env });
  try {
    const fleet = await setUpFleet(product.url, 100);
    const rounds: SingleRound[] = [];
    for (let r = 0; r < INGEST_ROUNDS; r++) {
      const before = await processedPoints(product.url);
      const baseline = await singlePoint(baselineUrl, ['none']);
      const single = await singlePoint(product.url, fleet.keys);
      rounds.push({ baseline, product: single, ratio: single.requests.average / baseline.requests.average });
      // Let the single-point backlog drain so the next round and the batch figure measure only their own work.
      const drainDeadline = Date.now() + 300_000;
      while ((await processedPoints(product.url)) - before < single['2xx'] && Date.now() < drainDeadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const median = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor(rounds.length / 2)];
    const batch = await batched(product.url, fleet.keys);
    const delay = await visibilityDelay(product.url, fleet.token, fleet.keys[0], fleet.ids[0]);
    const pairs = rounds
      .map((r) => `${r.product.requests.average.toFixed(0)} / ${r.baseline.requests.average.toFixed(0)} (${(r.ratio * 100).toFixed(0)}%)`)
      .join(', ');
    return [
      `| ${label} | single-point req/s (median round) | ${median.product.requests.average.toFixed(0)} (${(median.ratio * 100).toFixed(0)}% of bare Fastify's ${median.baseline.requests.average.toFixed(0)} in the same round) |`,
      `| ${label} | single-point rounds, product / bare Fastify req/s | ${pairs} |`,
      `| ${label} | single-point latency p50 / p99 (median round) | ${median.product.latency.p50} ms / ${median.product.latency.p99} ms |`,
      `| ${label} | bare Fastify latency p50 / p99 (median round) | ${median.baseline.latency.p50} ms / ${median.baseline.latency.p99} ms |`,
      `| ${label} | single-point errors (non-2xx), all rounds | ${rounds.reduce((n, r) => n + r.product.non2xx + r.product.errors, 0)} |`,
      `| ${label} | batched points/s, end to end (${batch.points} points, processed and queryable) | ${batch.pointsPerSecond.toFixed(0)} |`,
      `| ${label} | batched points/s accepted at ingest | ${batch.ingestPointsPerSecond.toFixed(0)} |`,
      `| ${label} | 202 → visible on the map, p50 / p99 | ${delay.p50.toFixed(1)} ms / ${delay.p99.toFixed(1)} ms |`,
    ];
  } finally {
    await product.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The flights phase (bench/flights-bench.ts) on a fresh product process per run. */
function flightTools(env: Record<string, string>) {
  return {
    setUpFleet,
    batched,
    start: async (extra: Record<string, string>) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'dt-bench-'));
      const p = await startProcess(MAIN_JS, { ...PRODUCT_ENV, DATA_DIR: dataDir, ...env, ...extra });
      return { url: p.url, stop: async () => (await p.stop(), rmSync(dataDir, { recursive: true, force: true })) };
    },
  };
}

/**
 * BENCH_PHASES=ingest,sustained,flights,geofences,fleet,freshness (default all): `ingest` is the
 * baseline and per-setup ingest figures; `fleet` reads at 100,000 drones (embedded, then on Redis);
 * `freshness` the live map under a history backlog in split roles (Redis + a MongoDB-wire server).
 */
const PHASES = new Set((process.env.BENCH_PHASES ?? 'ingest,sustained,flights,geofences,fleet,freshness').split(','));

async function main(): Promise<void> {
  const table: string[] = [];
  // Each phase's rows go to stderr as soon as they are measured, so a run cut short keeps them.
  const rows = {
    push(...added: string[]): void {
      for (const r of added) process.stderr.write(`${r}\n`);
      table.push(...added);
    },
  };
  if (PHASES.has('ingest')) rows.push(...(await ingestPhases()));
  if (PHASES.has('sustained') && Number(process.env.BENCH_SUSTAINED_POINTS ?? 1) > 0)
    rows.push(...(await sustainedEmbedded(MAIN_JS, PRODUCT_ENV)));
  if (PHASES.has('flights')) rows.push(...(await benchFlights('embedded', flightTools({}))));
  if (PHASES.has('geofences')) rows.push(...(await runGeofenceBench()));
  if (PHASES.has('fleet')) rows.push(...(await fleetReads()));
  if (PHASES.has('freshness')) rows.push(...(await freshnessPhase(MAIN_JS, PRODUCT_ENV)));
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average at the end ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')}`;
  process.stdout.write(
    `\n## dronetrack benchmark (${new Date().toISOString()})\n\nMachine: ${machine}. autocannon ${CONNECTIONS} connections, ${DURATION} s, same machine.\n\n` +
      `| setup | measure | result |\n|---|---|---|\n${table.join('\n')}\n`,
  );
}

async function fleetReads(): Promise<string[]> {
  const rows = await fleetReadPhase('embedded', MAIN_JS, PRODUCT_ENV);
  const servers = await benchServers();
  try {
    return [
      ...rows,
      ...(await fleetReadPhase('Redis (queue, cache, events)', MAIN_JS, {
        ...PRODUCT_ENV,
        REDIS_URL: servers.redisUrl,
        REDIS_KEY_PREFIX: `fleet${Date.now()}`,
      })),
    ];
  } finally {
    await servers.stop();
  }
}

async function ingestPhases(): Promise<string[]> {
  // Bare Fastify stays up, idle, while the product runs: each round measures both.
  const baselineServer = await startProcess(join(here, 'baseline-server.js'), { PORT: '0' });
  try {
    const rows = await benchProduct('embedded', {}, baselineServer.url);
    const redis = process.env.BENCH_REDIS_URL ?? process.env.REDIS_URL;
    const mongo = process.env.BENCH_MONGO_URL ?? process.env.MONGO_URL;
    if (redis || mongo) {
      const env: Record<string, string> = { REDIS_KEY_PREFIX: `bench${Date.now()}` };
      if (redis) env.REDIS_URL = redis;
      if (mongo) env.MONGO_URL = mongo;
      rows.push(...(await benchProduct([redis && 'Redis', mongo && 'MongoDB'].filter(Boolean).join(' + '), env, baselineServer.url)));
    }
    return rows;
  } finally {
    await baselineServer.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
