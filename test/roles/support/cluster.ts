import { BullTelemetryQueue } from '../../../libs/queue/adapters/bull-telemetry-queue.js';
import { Api, point, type TenantFixture } from '../../support/test-app.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Bull's view of the telemetry queue of one deployment (its key prefix), for assertions only. */
export function inspectQueue(redisUrl: string, keyPrefix: string): BullTelemetryQueue {
  return new BullTelemetryQueue({ redisUrl, prefix: `${keyPrefix}:bull` });
}

export async function jobCounts(q: BullTelemetryQueue): Promise<{ waiting: number; active: number; delayed: number; failed: number }> {
  const c = await q.queue.getJobCounts();
  return { waiting: c.waiting, active: c.active, delayed: c.delayed, failed: c.failed };
}

/** The lock tokens of the running jobs: one distinct token per consumer (Bull queue instance) holding jobs. */
export async function lockHolders(q: BullTelemetryQueue): Promise<Set<string>> {
  const ids = await q.queue.client.lrange(q.queue.toKey('active'), 0, -1);
  if (ids.length === 0) return new Set();
  const tokens = await q.queue.client.mget(...ids.map((id) => `${q.queue.toKey(id)}:lock`));
  return new Set(tokens.filter((t): t is string => !!t));
}

/** Waits until no job is waiting, running or delayed. */
export async function drained(q: BullTelemetryQueue, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    if ((await q.depth()) === 0) return Date.now() - started;
    if (Date.now() - started > timeoutMs)
      throw new Error(`queue not drained within ${timeoutMs} ms: ${JSON.stringify(await jobCounts(q))}`);
    await sleep(200);
  }
}

/**
 * Drones sending batches through ingest, each drone its own loop, until `stop()`. Counts what
 * ingest acknowledged with 202 per drone; timestamps never repeat, so each acknowledged point
 * must end up in its drone's track exactly once.
 */
export class TelemetryStream {
  readonly acked = new Map<string, number>();
  readonly problems: string[] = [];
  readonly firstTimestamp: number;
  requests = 0;
  private running = true;
  private readonly loops: Promise<void>[];

  constructor(
    ingest: Api,
    tenant: TenantFixture,
    /** `maxPerDrone` keeps each track under the 10000 points one track request returns. */
    options: { batch: number; intervalMs: number; firstTimestamp?: number; maxPerDrone?: number },
  ) {
    this.firstTimestamp = options.firstTimestamp ?? Date.now() - 50 * 60_000;
    this.loops = tenant.drones.map(async (drone, i) => {
      this.acked.set(drone.id, 0);
      let seq = 0;
      while (this.running && seq + options.batch <= (options.maxPerDrone ?? 9000)) {
        const points = Array.from({ length: options.batch }, () => {
          const k = seq++;
          return point({
            timestamp: this.firstTimestamp + k * 10,
            lat: 46 + i * 0.01 + (k % 1000) * 1e-5,
            lon: 7 + (k % 1000) * 1e-5,
            battery: 90,
          });
        });
        this.requests++;
        try {
          const res = await ingest.post('/api/v1/telemetry', { points }, drone.deviceKey);
          if (res.status === 202 && res.body.accepted === options.batch)
            this.acked.set(drone.id, this.acked.get(drone.id)! + options.batch);
          else this.problems.push(`drone ${i}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        } catch (err) {
          this.problems.push(`drone ${i}: ${String(err)}`);
        }
        await sleep(options.intervalMs);
      }
    });
  }

  get total(): number {
    return [...this.acked.values()].reduce((a, b) => a + b, 0);
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }
}

/** Stored points per drone (via the web API); also reports timestamps stored more than once. */
export async function storedPoints(web: Api, token: string, droneId: string, from: number): Promise<{ count: number; duplicates: number }> {
  const res = await web.get(`/api/v1/drones/${droneId}/track?from=${new Date(from - 1).toISOString()}&limit=10000`, token);
  if (res.status !== 200) throw new Error(`track of ${droneId}: ${res.status} ${JSON.stringify(res.body)}`);
  const stamps = (res.body.points as { timestamp: string }[]).map((p) => p.timestamp);
  return { count: stamps.length, duplicates: stamps.length - new Set(stamps).size };
}
