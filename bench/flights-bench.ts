/**
 * The flights phase of `npm run bench` (hooked from run-bench.ts, which lends its helpers):
 * 1. batched end-to-end throughput with flight detection on vs off (FLIGHT_DETECTION), same
 *    load, fresh process each, best of two runs each (the aim: on ≥ 90 % of off);
 * 2. `GET /flights?droneId=` latency with 10,000 flights stored for that drone.
 */
import autocannon from 'autocannon';

export interface BenchProduct {
  url: string;
  stop(): Promise<void>;
}

export interface FlightBenchTools {
  /** Starts the product (embedded or on the configured servers) with extra env. */
  start(env: Record<string, string>): Promise<BenchProduct>;
  setUpFleet(url: string, drones: number): Promise<{ token: string; keys: string[]; ids: string[] }>;
  batched(url: string, keys: string[]): Promise<{ pointsPerSecond: number; points: number }>;
}

const FLIGHTS = 10_000;
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);

export async function benchFlights(label: string, tools: FlightBenchTools): Promise<string[]> {
  const throughput: Record<string, number> = { false: 0, true: 0 };
  // Off, on, off, on; the best run of each: the machine is shared, so single runs are noisy.
  for (const mode of ['false', 'true', 'false', 'true']) {
    const product = await tools.start({ FLIGHT_DETECTION: mode });
    try {
      const fleet = await tools.setUpFleet(product.url, 100);
      throughput[mode] = Math.max(throughput[mode], (await tools.batched(product.url, fleet.keys)).pointsPerSecond);
    } finally {
      await product.stop();
    }
  }
  const list = await listLatency(tools);
  const ratio = throughput.true / throughput.false;
  return [
    `| ${label} | batched points/s end to end, flight detection off | ${throughput.false.toFixed(0)} |`,
    `| ${label} | batched points/s end to end, flight detection on | ${throughput.true.toFixed(0)} (${(ratio * 100).toFixed(0)}% of off) |`,
    `| ${label} | GET /flights?droneId= with ${FLIGHTS} flights stored: req/s, p50 / p99 | ${list.rps.toFixed(0)}, ${list.p50} ms / ${list.p99} ms |`,
  ];
}

/** One drone flies 10,000 two-point flights (gap 1 s, so 3 s apart splits them), then its log is read. */
async function listLatency(tools: FlightBenchTools): Promise<{ rps: number; p50: number; p99: number }> {
  const product = await tools.start({ FLIGHT_GAP_SECONDS: '1' });
  try {
    const fleet = await tools.setUpFleet(product.url, 1);
    const t0 = Date.now() - 2 * 86_400_000;
    for (let start = 0; start < FLIGHTS; start += 500) {
      const points = [];
      for (let f = start; f < start + 500; f++) {
        for (const dt of [0, 1000])
          points.push({ timestamp: t0 + f * 3000 + dt, lat: 52.5 + f / 1e5, lon: 13.4, altitude: 100, battery: 80, status: 'airborne' });
      }
      const res = await fetch(`${product.url}/api/v1/telemetry`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${fleet.keys[0]}` },
        body: JSON.stringify({ points }),
      });
      if (res.status !== 202) throw new Error(`ingest answered ${res.status}`);
    }
    const url = `${product.url}/api/v1/flights?droneId=${fleet.ids[0]}`;
    const headers = { authorization: `Bearer ${fleet.token}` };
    const deadline = Date.now() + 300_000;
    for (;;) {
      const page = (await (await fetch(`${url}&from=${new Date(t0 - 1000).toISOString()}&limit=1`, { headers })).json()) as {
        items: { startedAt: string }[];
      };
      if (page.items[0]?.startedAt === new Date(t0 + (FLIGHTS - 1) * 3000).toISOString()) break;
      if (Date.now() > deadline) throw new Error('the flights were not all detected in time');
      await new Promise((r) => setTimeout(r, 100));
    }
    const result = await autocannon({ url, connections: 10, duration: DURATION, headers });
    if (result.non2xx > 0) throw new Error(`GET /flights answered ${result.non2xx} non-2xx`);
    return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
  } finally {
    await product.stop();
  }
}
