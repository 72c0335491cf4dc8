import type { City } from './city.js';
import { createFleetFlights, toTelemetryBody, type DroneFlight, type FlightProfile, type TelemetryBody } from './flight-model.js';
import {
  backoffMs,
  errorMessage,
  isTransientStatus,
  joinUrl,
  networkErrorMessage,
  noLog,
  readJson,
  retryAfterMs,
  sleep,
  ThrottledLog,
  type FetchLike,
  type LogFn,
} from './http.js';
import type { FleetStats } from './fleet-progress.js';

export * from './fleet-progress.js';

/** A drone as the fleet knows it: its device key is its only credential. */
export interface FleetDrone {
  id?: string;
  name: string;
  deviceKey: string;
}

export interface FleetOptions {
  /** Base URL of the deployment, e.g. http://127.0.0.1:3000. */
  url: string;
  drones: FleetDrone[];
  /** Samples per second per drone. */
  rate: number;
  /** 0 (default): one point per request. K ≥ 1: buffer K samples, then send `{ points }`. */
  batch?: number;
  seed: number;
  /** Start of the flights (epoch ms); default now. */
  start?: number;
  profile?: FlightProfile;
  city?: City;
  log?: LogFn;
  /** Samples kept per drone while its requests fail; the oldest are dropped beyond this. */
  maxQueue?: number;
  requestTimeoutMs?: number;
  /** Called on 401 (key rotated or lost): may return a fresh key for the drone, or null. */
  refreshKey?: (drone: FleetDrone) => Promise<string | null>;
  fetch?: FetchLike;
}

type Outcome = 'done' | 'failed' | 'aborted';

class DroneLink {
  queue: TelemetryBody[] = [];
  nextDue: number;
  busy: Promise<void> | null = null;
  failed = false;
  lastRefresh = 0;
  constructor(
    readonly drone: FleetDrone,
    readonly flight: DroneFlight,
    firstDue: number,
  ) {
    this.nextDue = firstDue;
  }
}

/**
 * Flies a fleet through the real ingest API: every drone samples its flight model at `rate` Hz
 * and posts with its own device key, one request in flight per drone (like a device would),
 * single points or batches. A 429 waits out Retry-After for that drone only; connection errors
 * and 5xx retry the same request with exponential backoff; a drone whose key is refused stops
 * (after `refreshKey`, if given, cannot help) while the others go on.
 */
export class Fleet {
  private readonly links: DroneLink[];
  private readonly periodMs: number;
  private readonly batch: number;
  private readonly maxQueue: number;
  private readonly fetchFn: FetchLike;
  private readonly log: ThrottledLog;
  private readonly abort = new AbortController();
  private readonly endpoint: string;
  private timer: NodeJS.Timeout | null = null;
  private flushing = false;
  private stopping: Promise<void> | null = null;
  private readonly counters = {
    sampled: 0,
    sent: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    rateLimited: 0,
    errors: 0,
    requests: 0,
    dropped: 0,
  };

  constructor(private readonly options: FleetOptions) {
    if (!(options.rate > 0 && options.rate <= 1000)) throw new RangeError('rate must be > 0 and <= 1000 samples per second');
    const batch = options.batch ?? 0;
    if (!Number.isInteger(batch) || batch < 0 || batch > 1000)
      throw new RangeError('batch must be a whole number from 1 to 1000 (0 for single points)');
    this.batch = batch;
    this.periodMs = 1000 / options.rate;
    this.maxQueue = options.maxQueue ?? Math.max(1000, Math.ceil(options.rate * 300));
    this.fetchFn = options.fetch ?? fetch;
    this.log = new ThrottledLog(options.log ?? noLog);
    this.endpoint = joinUrl(options.url, '/api/v1/telemetry');
    const start = options.start ?? Date.now();
    const flights = createFleetFlights(options.drones.length, { seed: options.seed, start, profile: options.profile, city: options.city });
    const n = options.drones.length;
    // Spread the drones' sample times over one period so requests do not arrive in bursts.
    this.links = options.drones.map((d, i) => new DroneLink({ ...d }, flights[i], start + (i / Math.max(1, n)) * this.periodMs));
  }

  get droneCount(): number {
    return this.links.length;
  }

  /** Starts sampling and sending. */
  start(): void {
    if (this.timer || this.stopping) return;
    const tick = Math.min(100, Math.max(10, this.periodMs / 2));
    this.timer = setInterval(() => this.tick(), tick);
    this.tick();
  }

  /** True while stop() has not been called and at least one drone is still flying. */
  get running(): boolean {
    return !this.stopping && this.links.some((l) => !l.failed);
  }

  stats(): FleetStats {
    return {
      ...this.counters,
      drones: this.links.length,
      failedDrones: this.links.filter((l) => l.failed).length,
      queued: this.links.reduce((sum, l) => sum + l.queue.length, 0),
    };
  }

  /**
   * Stops sampling, tries for up to `flushMs` to deliver what is queued (batch remainders
   * included), then abandons in-flight requests and backoffs. Safe to call more than once.
   */
  stop(flushMs = 5000): Promise<void> {
    return (this.stopping ??= (async () => {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      this.flushing = true;
      for (const link of this.links) this.kick(link);
      const deadline = Date.now() + flushMs;
      while (Date.now() < deadline && this.links.some((l) => !l.failed && (l.busy || l.queue.length > 0))) {
        await sleep(20);
      }
      this.abort.abort();
      await Promise.all(this.links.map((l) => l.busy));
      for (const link of this.links) {
        this.counters.dropped += link.queue.length;
        link.queue = [];
      }
    })());
  }

  private tick(): void {
    const now = Date.now();
    for (const link of this.links) {
      if (link.failed) continue;
      // After a long stall (suspended laptop), skip ahead instead of replaying hours of samples.
      if (now - link.nextDue > 300_000) link.nextDue = now - ((now - link.nextDue) % this.periodMs);
      while (link.nextDue <= now) {
        const sample = link.flight.sampleAt(Math.round(link.nextDue));
        link.queue.push(toTelemetryBody(sample));
        this.counters.sampled++;
        link.nextDue += this.periodMs;
      }
      if (link.queue.length > this.maxQueue) {
        const excess = link.queue.length - this.maxQueue;
        link.queue.splice(0, excess);
        this.counters.dropped += excess;
      }
      this.kick(link);
    }
  }

  private kick(link: DroneLink): void {
    if (link.busy || link.failed || this.abort.signal.aborted) return;
    if (this.takeCount(link) === 0) return;
    link.busy = this.pump(link).finally(() => {
      link.busy = null;
    });
  }

  /** How many queued points the next request carries (0: wait for more). */
  private takeCount(link: DroneLink): number {
    const len = link.queue.length;
    if (len === 0) return 0;
    if (this.batch === 0) return 1;
    if (len < this.batch) return this.flushing ? len : 0;
    // Catching up after a backoff: several batches' worth at once, at most 1000 points.
    return this.batch * Math.max(1, Math.min(Math.floor(len / this.batch), Math.floor(1000 / this.batch)));
  }

  private async pump(link: DroneLink): Promise<void> {
    for (;;) {
      if (link.failed || this.abort.signal.aborted) return;
      const n = this.takeCount(link);
      if (n === 0) return;
      const points = link.queue.splice(0, n);
      const outcome = await this.send(link, points);
      if (outcome !== 'done') {
        this.counters.dropped += points.length;
        if (outcome === 'failed') {
          this.counters.dropped += link.queue.length;
          link.queue = [];
        }
        return;
      }
    }
  }

  private async send(link: DroneLink, points: TelemetryBody[]): Promise<Outcome> {
    const signal = this.abort.signal;
    const body = JSON.stringify(this.batch === 0 ? points[0] : { points });
    const drone = link.drone.name;
    let attempt = 0;
    for (;;) {
      if (signal.aborted) return 'aborted';
      let res: Response;
      try {
        res = await this.fetchFn(this.endpoint, {
          method: 'POST',
          headers: { authorization: `Bearer ${link.drone.deviceKey}`, 'content-type': 'application/json' },
          body,
          signal: AbortSignal.any([signal, AbortSignal.timeout(this.options.requestTimeoutMs ?? 15_000)]),
        });
      } catch (err) {
        if (signal.aborted) return 'aborted';
        this.counters.errors++;
        const wait = backoffMs(attempt++);
        this.log.emit('network', 'warn', 'telemetry request failed; retrying', { drone, error: networkErrorMessage(err), retryInMs: wait });
        await sleep(wait, signal);
        continue;
      }
      const answer = await readJson(res).catch(() => null);
      if (res.status === 202 || res.status === 200) {
        const r = (answer ?? {}) as { accepted?: number; duplicates?: number; rejected?: { index: number; errors: string[] }[] };
        this.counters.requests++;
        this.counters.sent += points.length;
        this.counters.accepted += r.accepted ?? 0;
        this.counters.duplicates += r.duplicates ?? 0;
        this.counters.rejected += r.rejected?.length ?? 0;
        if (r.rejected?.length) {
          this.log.emit('rejected', 'warn', 'points rejected by the API', { drone, first: r.rejected[0] });
        }
        return 'done';
      }
      if (res.status === 429) {
        this.counters.rateLimited++;
        const wait = (retryAfterMs(res.headers.get('retry-after')) ?? backoffMs(attempt++)) + Math.floor(Math.random() * 100);
        this.log.emit('429', 'info', 'rate limited; waiting as told by Retry-After', { drone, retryInMs: wait });
        await sleep(wait, signal);
        continue;
      }
      if (isTransientStatus(res.status)) {
        this.counters.errors++;
        const after = retryAfterMs(res.headers.get('retry-after'));
        const wait = Math.max(after ?? 0, backoffMs(attempt++));
        this.log.emit(`http-${res.status}`, 'warn', 'telemetry request failed; retrying', {
          drone,
          status: res.status,
          error: errorMessage(answer, res.statusText),
          retryInMs: wait,
        });
        await sleep(wait, signal);
        continue;
      }
      if (res.status === 400 || res.status === 413) {
        // The whole request was refused: no point in it was valid. Retrying would not help.
        this.counters.requests++;
        this.counters.sent += points.length;
        this.counters.rejected += points.length;
        this.log.emit('rejected', 'warn', 'points rejected by the API', {
          drone,
          status: res.status,
          error: errorMessage(answer, res.statusText),
        });
        return 'done';
      }
      this.counters.errors++;
      if (res.status === 401 && this.options.refreshKey && Date.now() - link.lastRefresh > 60_000) {
        link.lastRefresh = Date.now();
        const key = await this.options.refreshKey(link.drone).catch((err: unknown) => {
          this.log.emit('refresh', 'warn', 'could not get a new device key', { drone, error: String(err) });
          return null;
        });
        if (key) {
          this.log.emit('refresh', 'info', 'device key refused; continuing with a new key', { drone });
          link.drone.deviceKey = key;
          continue;
        }
      }
      link.failed = true;
      this.log.emit(`fatal-${res.status}`, 'error', 'drone stopped: the API refused its requests', {
        drone,
        status: res.status,
        error: errorMessage(answer, res.statusText),
      });
      return 'failed';
    }
  }
}
