/**
 * The freshness phase of `npm run bench`: split roles on Redis and a MongoDB-wire server
 * (2 ingest, 1 processor, 1 web process). Batches saturate ingest until the history backlog is
 * at least BENCH_BACKLOG_SECONDS (default 60) of processing behind; meanwhile single points of
 * another drone probe how long a new position takes from its `202` to the web process's stream
 * (it is then in `GET /map/drones` too). The API's promise: p99 ≤ 1 s whatever the backlog.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ADMIN, json, percentile, processedPoints, startProcess, watchStream, type Server } from './bench-process.js';
import { benchServers } from './bench-servers.js';

const BACKLOG_SECONDS = Number(process.env.BENCH_BACKLOG_SECONDS ?? 60);
const PROBES = Number(process.env.BENCH_FRESHNESS_PROBES ?? 100);
const SATURATE_MAX_SECONDS = 240;

interface Fleet {
  token: string;
  keys: string[];
  probe: { id: string; key: string };
}

async function fleet(web: string, drones: number): Promise<Fleet> {
  const tenant = await json('POST', `${web}/api/v1/tenants`, { name: 'fresh' }, ADMIN);
  const email = `fresh-${Date.now()}@example.com`;
  await json('POST', `${web}/api/v1/tenants/${tenant.id}/users`, { email, password: 'bench-password', role: 'admin' }, ADMIN);
  const { accessToken } = await json('POST', `${web}/api/v1/auth/login`, { email, password: 'bench-password' });
  const keys: string[] = [];
  for (let i = 0; i < drones; i++) keys.push((await json('POST', `${web}/api/v1/drones`, { name: `load-${i}` }, accessToken)).deviceKey);
  const probe = await json('POST', `${web}/api/v1/drones`, { name: 'probe' }, accessToken);
  return { token: accessToken, keys, probe: { id: probe.id, key: probe.deviceKey } };
}

/** Endless 1000-point batches over the load drones, each drone's timestamps moving forward. */
function saturate(ingest: string[], keys: string[]): autocannon.Instance[] {
  let n = 0;
  const base = Date.now() - 86_400_000;
  return ingest.map(
    (url) =>
      autocannon(
        {
          url: `${url}/api/v1/telemetry`,
          connections: 4,
          duration: SATURATE_MAX_SECONDS,
          requests: [
            {
              method: 'POST',
              setupRequest: (req) => {
                const i = n++;
                const start = base + Math.floor(i / keys.length) * 1_000_000;
                const points = Array.from({ length: 1000 }, (_, k) => ({
                  timestamp: start + k * 1000,
                  lat: 48 + k / 1e4,
                  lon: 2 + k / 1e4,
                  speed: 10,
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
        },
        () => undefined,
      ), // with a callback autocannon returns the instance, which can be stopped
  );
}

/** Seconds of processing the backlog holds: points accepted but not processed, at the current rate. */
async function backlogSeconds(ingest: string[], processor: string, rate: { last: number; at: number; perSecond: number }): Promise<number> {
  const accepted = (await Promise.all(ingest.map(acceptedPoints))).reduce((a, b) => a + b, 0);
  const processed = await processedPoints(processor);
  const now = Date.now();
  if (now - rate.at >= 2000) {
    rate.perSecond = ((processed - rate.last) * 1000) / (now - rate.at);
    [rate.last, rate.at] = [processed, now];
  }
  // Until a rate was measured the backlog's length in time is unknown: report none yet.
  return rate.perSecond > 0 ? (accepted - processed) / rate.perSecond : 0;
}

async function acceptedPoints(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^dronetrack_ingest_points_total\{outcome="accepted"\} (\d+(?:\.\d+)?)/m.exec(text)?.[1] ?? 0);
}

/** Times from each probe's 202 to its event on the web process's stream, in ms. */
async function probe(ingest: string, web: string, f: Fleet, count: number): Promise<number[]> {
  const seen = new Map<string, number>();
  const stream = await watchStream(web, f.token, (event, feature) => {
    if (event === 'drone' && feature.id === f.probe.id) seen.set(feature.properties.timestamp, performance.now());
  });
  await new Promise((r) => setTimeout(r, 500));
  const delays: number[] = [];
  for (let s = 0; s < count; s++) {
    const ts = Date.now();
    const r = await fetch(`${ingest}/api/v1/telemetry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${f.probe.key}` },
      body: JSON.stringify({ timestamp: ts, lat: 50 + s / 1e4, lon: 8, status: 'airborne' }),
    });
    const acked = performance.now();
    await r.text();
    const iso = new Date(ts).toISOString();
    while (!seen.has(iso) && performance.now() - acked < 10_000) await new Promise((r2) => setTimeout(r2, 2));
    delays.push((seen.get(iso) ?? performance.now()) - acked);
    await new Promise((r2) => setTimeout(r2, 50));
  }
  await stream.close();
  return delays.sort((a, b) => a - b);
}

export async function freshnessPhase(mainJs: string, env: Record<string, string>): Promise<string[]> {
  const servers = await benchServers();
  const dataDir = mkdtempSync(join(tmpdir(), 'dt-bench-fresh-'));
  const shared = {
    ...env,
    DATA_DIR: dataDir,
    REDIS_URL: servers.redisUrl,
    MONGO_URL: `${servers.mongoUrl.replace(/\/$/, '')}/fresh${Date.now()}`,
    REDIS_KEY_PREFIX: `fresh${Date.now()}`,
  };
  const procs: Server[] = [];
  try {
    for (const roles of ['web', 'processor', 'ingest', 'ingest']) procs.push(await startProcess(mainJs, { ...shared, ROLES: roles }));
    const [web, processor, ...ingest] = procs.map((p) => p.url);
    const f = await fleet(web, 50);
    const load = saturate(ingest, f.keys);
    const rate = { last: await processedPoints(processor), at: Date.now(), perSecond: 0 };
    const started = Date.now();
    let lag = 0;
    while (
      (lag = await backlogSeconds(ingest, processor, rate)) < BACKLOG_SECONDS &&
      Date.now() - started < (SATURATE_MAX_SECONDS - 60) * 1000
    ) {
      await new Promise((r) => setTimeout(r, 1000));
    }
    const saturatedFor = (Date.now() - started) / 1000;
    const delays = await probe(ingest[0], web, f, PROBES);
    const lagAfter = await backlogSeconds(ingest, processor, rate);
    for (const l of load) l.stop();
    const label = `split roles (2 ingest, 1 processor, 1 web) on Redis + ${servers.mongoName}`;
    return [
      `| ${label} | history backlog when probing started (after ${saturatedFor.toFixed(0)} s of batches) / ended; processing at ${rate.perSecond.toFixed(0)} points/s | ${lag.toFixed(0)} s / ${lagAfter.toFixed(0)} s |`,
      `| ${label} | new position: 202 → on the web process's stream, p50 / p99 / max (${PROBES} probes) | ${percentile(delays, 0.5).toFixed(0)} ms / ${percentile(delays, 0.99).toFixed(0)} ms / ${delays.at(-1)!.toFixed(0)} ms |`,
    ];
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await servers.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
