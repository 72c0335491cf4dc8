/**
 * The sustained embedded phase of `npm run bench`: 10 M points (1000-point batches over 1000
 * drones) into one process, then memory, track latency with all of it stored, and a restart on
 * the same DATA_DIR. Figures, not assertions: the run prints them for docs/benchmarks.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { heapMiB, percentile, processedPoints, rssMiB, setUpFleet, startProcess, type Server } from './bench-process.js';

const POINTS = Number(process.env.BENCH_SUSTAINED_POINTS ?? 10_000_000);
const DRONES = Number(process.env.BENCH_SUSTAINED_DRONES ?? 1000);
const BATCH = 1000;
const TRACK_SAMPLES = Number(process.env.BENCH_TRACK_SAMPLES ?? 300);
/** Untimed reads first (JIT, caches): the steady state is measured; the cold reads after the restart are reported apart. */
const TRACK_WARMUP = Number(process.env.BENCH_TRACK_WARMUP ?? 20);
const SETTLE_MS = 30_000;

/** One batch body of a drone's `round`-th 1000 points, built as a string (cheap for the driver). */
function batchBody(base: number, round: number, drone: number): string {
  const parts = new Array<string>(BATCH);
  const lat = 52 + (drone % 100) / 200;
  const lon = 13 + Math.floor(drone / 100) / 200;
  for (let k = 0; k < BATCH; k++) {
    const ts = base + round * BATCH + k;
    parts[k] =
      `{"timestamp":${ts},"lat":${(lat + k / 1e5).toFixed(5)},"lon":${(lon + k / 1e5).toFixed(5)},"altitude":120,"speed":12.5,"heading":${k % 360},"battery":80,"status":"airborne"}`;
  }
  return `{"points":[${parts.join(',')}]}`;
}

interface Sample {
  at: number;
  processed: number;
  rss: number;
}

export async function sustainedEmbedded(mainJs: string, env: Record<string, string>): Promise<string[]> {
  // BENCH_SUSTAINED_DATA_DIR keeps the run's DATA_DIR for later probes (it must not exist yet).
  const keepDir = process.env.BENCH_SUSTAINED_DATA_DIR;
  const dataDir = keepDir ? (mkdirSync(keepDir), keepDir) : mkdtempSync(join(tmpdir(), 'dt-bench-sustained-'));
  const profDir = process.env.BENCH_CPU_PROF;
  const serverEnv = { ...env, DATA_DIR: dataDir };
  const freshAt = Date.now();
  let server: Server = await startProcess(mainJs, serverEnv, profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []);
  try {
    await waitReady(server.url);
    const freshStartMs = Date.now() - freshAt;
    const rssFresh = rssMiB(server.child.pid!);
    const fleet = await setUpFleet(server.url, DRONES);
    const requests = Math.ceil(POINTS / BATCH);
    const base = Date.now() - 50 * 60_000 - Math.ceil(requests / DRONES) * BATCH;
    const before = await processedPoints(server.url);

    // Sample the processed counter and RSS once a second while ingest runs.
    const samples: Sample[] = [];
    let sampling = true;
    const pid = server.child.pid!;
    const sampler = (async () => {
      while (sampling) {
        samples.push({ at: Date.now(), processed: (await processedPoints(server.url)) - before, rss: rssMiB(pid) });
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();

    let sent = 0;
    const started = Date.now();
    const result = await autocannon({
      url: `${server.url}/api/v1/telemetry`,
      connections: 8,
      amount: requests,
      timeout: 60,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => {
            const i = sent++;
            const drone = i % DRONES;
            return {
              ...req,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${fleet.keys[drone]}` },
              body: batchBody(base, Math.floor(i / DRONES), drone),
            };
          },
        },
      ],
    });
    const ingestDone = Date.now();
    const accepted = result['2xx'] * BATCH;
    while ((await processedPoints(server.url)) - before < accepted) await new Promise((r) => setTimeout(r, 50));
    // The last batch's last point readable through the API ends the clock.
    const lastDrone = (requests - 1) % DRONES;
    const lastTs = base + Math.floor((requests - 1) / DRONES) * BATCH + BATCH - 1;
    for (;;) {
      const track = await trackOf(server.url, fleet.token, fleet.ids[lastDrone], lastTs - 10, lastTs);
      if (track.points.some((p: { timestamp: string }) => Date.parse(p.timestamp) === lastTs)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const endToEnd = (Date.now() - started) / 1000;
    sampling = false;
    await sampler;
    const rssAfterRun = rssMiB(pid);
    const heap = await heapMiB(server.url);
    // V8 shrinks its heap once allocation stops (the memory reducer runs after a few idle seconds).
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const rssSettled = rssMiB(pid);
    const heapSettled = await heapMiB(server.url);
    const peakRss = Math.max(...samples.map((s) => s.rss), rssAfterRun);
    const windows = rateWindows(samples, started, ingestDone, 5);

    // Track of 10,000 points with everything stored.
    await trackLatencies(server.url, fleet.token, fleet.ids, base, requests, TRACK_WARMUP);
    const latencies = await trackLatencies(server.url, fleet.token, fleet.ids, base, requests);
    const dataSize = execFileSync('du', ['-sh', dataDir], { encoding: 'utf8' }).split('\t')[0];

    const stopAt = Date.now();
    await server.stop();
    const shutdownMs = Date.now() - stopAt;
    const restartAt = Date.now();
    server = await startProcess(mainJs, serverEnv);
    await waitReady(server.url);
    const restartMs = Date.now() - restartAt;
    const rssAfterRestart = rssMiB(server.child.pid!);
    const restartLatencies = await trackLatencies(server.url, fleet.token, fleet.ids, base, requests, 50);
    const rssAfterRestartReads = rssMiB(server.child.pid!);

    const label = 'embedded, sustained';
    const ms = (sorted: number[], p: number) => `${percentile(sorted, p).toFixed(1)} ms`;
    return [
      `| ${label} | points accepted (${result['2xx']} × ${BATCH}-point batches over ${DRONES} drones; non-2xx ${result.non2xx}, errors ${result.errors}) | ${accepted.toLocaleString('en')} |`,
      `| ${label} | end to end, first request → last point readable in GET /drones/{id}/track | **${Math.round(accepted / endToEnd).toLocaleString('en')} points/s** (${endToEnd.toFixed(1)} s) |`,
      `| ${label} | accepted at ingest | ${Math.round(accepted / ((ingestDone - started) / 1000)).toLocaleString('en')} points/s |`,
      `| ${label} | processed per 5 s window while ingesting: min / median / max | ${windows.map((w) => Math.round(w).toLocaleString('en')).join(' / ')} points/s |`,
      `| ${label} | RSS right after the run / ${SETTLE_MS / 1000} s later / peak during it | ${rssAfterRun.toFixed(0)} MiB / **${rssSettled.toFixed(0)} MiB** / ${peakRss.toFixed(0)} MiB |`,
      `| ${label} | V8 heap used / total, right after the run and ${SETTLE_MS / 1000} s later (external memory) | ${heap.used.toFixed(0)} / ${heap.total.toFixed(0)} MiB → ${heapSettled.used.toFixed(0)} / ${heapSettled.total.toFixed(0)} MiB (${heapSettled.external.toFixed(0)} MiB) |`,
      `| ${label} | DATA_DIR on disk | ${dataSize} |`,
      `| ${label} | GET /drones/{id}/track, 10,000 points, with ${(accepted / 1e6).toFixed(1)} M stored: request → last byte p50 / p99 (${TRACK_SAMPLES} requests after ${TRACK_WARMUP} untimed) | ${ms(latencies, 0.5)} / **${ms(latencies, 0.99)}** |`,
      `| ${label} | graceful shutdown (SIGTERM → exit) | ${shutdownMs} ms |`,
      `| ${label} | start → /health/ready 200: empty DATA_DIR (before the run) / restart on the ${(accepted / 1e6).toFixed(1)} M-point DATA_DIR | ${freshStartMs} ms / **${restartMs} ms** |`,
      `| ${label} | RSS: fresh start on an empty DATA_DIR / after the restart / after 50 track reads | ${rssFresh.toFixed(0)} MiB / **${rssAfterRestart.toFixed(0)} MiB** / ${rssAfterRestartReads.toFixed(0)} MiB |`,
      `| ${label} | track p50 / p99 right after the restart (cold cache, 50 requests) | ${ms(restartLatencies, 0.5)} / ${ms(restartLatencies, 0.99)} |`,
    ];
  } finally {
    await server.stop();
    if (!keepDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

async function trackOf(url: string, token: string, droneId: string, from: number, to: number): Promise<any> {
  return JSON.parse((await trackResponse(url, token, droneId, from, to)).body.toString());
}

/**
 * The response body as received, and when its last byte arrived: that ends a latency sample;
 * joining and checking the body do not. node:http, not fetch: on this 2-core machine fetch's own
 * work (and the client's GC) added up to 20 ms to the p99 of the same server.
 */
function trackResponse(
  url: string,
  token: string,
  droneId: string,
  from: number,
  to: number,
): Promise<{ body: Buffer; lastByteAt: number }> {
  const q = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&limit=10000`;
  return new Promise((resolve, reject) => {
    const req = get(`${url}/api/v1/drones/${droneId}/track?${q}`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const lastByteAt = performance.now();
        const body = Buffer.concat(chunks);
        if (res.statusCode === 200) resolve({ body, lastByteAt });
        else reject(new Error(`track: ${res.statusCode} ${body.toString()}`));
      });
    });
    req.on('error', reject);
  });
}

const POINT_START = Buffer.from('{"timestamp"');

/** Points in a track body, counted without parsing it: the client's own GC stays out of the samples. */
function countPoints(body: Buffer): number {
  let n = 0;
  for (let i = body.indexOf(POINT_START); i !== -1; i = body.indexOf(POINT_START, i + POINT_START.length)) n++;
  return n;
}

/**
 * Sequential track requests of up to 10,000 points on random drones; sorted latencies (request →
 * last byte) in ms. Every body's points are counted; the first one is also parsed in full.
 */
async function trackLatencies(
  url: string,
  token: string,
  ids: string[],
  base: number,
  requests: number,
  samples = TRACK_SAMPLES,
): Promise<number[]> {
  const span = Math.ceil(requests / ids.length) * BATCH;
  const expected = Math.min(10_000, span);
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const id = ids[Math.floor(Math.random() * ids.length)];
    const t0 = performance.now();
    const { body, lastByteAt } = await trackResponse(url, token, id, base, base + span);
    out.push(lastByteAt - t0);
    const points = i === 0 ? JSON.parse(body.toString()).points.length : countPoints(body);
    if (points !== expected) throw new Error(`track returned ${points} points, expected ${expected}`);
  }
  return out.sort((a, b) => a - b);
}

async function waitReady(url: string): Promise<void> {
  for (;;) {
    const res = await fetch(`${url}/health/ready`).catch(() => null);
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** min / median / max of the processed rate over `seconds`-long windows between start and end. */
function rateWindows(samples: Sample[], start: number, end: number, seconds: number): [number, number, number] {
  const rates: number[] = [];
  const inRun = samples.filter((s) => s.at >= start && s.at <= end);
  for (let i = 0; i + seconds < inRun.length; i += seconds) {
    const a = inRun[i];
    const b = inRun[i + seconds];
    rates.push((b.processed - a.processed) / ((b.at - a.at) / 1000));
  }
  if (rates.length === 0) return [NaN, NaN, NaN];
  rates.sort((x, y) => x - y);
  return [rates[0], percentile(rates, 0.5), rates[rates.length - 1]];
}
