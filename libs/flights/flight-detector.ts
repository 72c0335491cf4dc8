import { newId, type TelemetryPoint } from '../core/index.js';
import type { TelemetryRepository } from '../store/index.js';
import { isInAir, type FlightRecord } from './flight.js';
import { buildRuns, type RunItem } from './flight-runs.js';
import type { DroneTail, FlightChange, FlightRepository } from './flight.repository.port.js';
import type { DroneLocks } from '../drone-locks/index.js';

const PAGE = 10_000;

/**
 * Keeps stored flights equal to the contract's definition as points arrive, in any order.
 *
 * Per drone, with the points a job newly stored (min m, max M) and gap G:
 * 1. F = stored flights overlapping [m - G, M + G]. Any in-air point that could link to a new
 *    point lies within G of it, so its flight is in F.
 * 2. A flight of F with a new point inside its span is "broken" (the point may split it or
 *    change its statistics): its whole span is re-read. The others are kept as blocks.
 * 3. History is read from the end of the earliest F flight before m (or m) to the start of the
 *    latest one after M (or M), plus broken spans: that is every point between the blocks and
 *    the new points, ground points included (they end flights).
 * 4. Runs are rebuilt over blocks + points. No flight can cross the edge of that range (a
 *    flight reaching over it would have a point within G of a new point, hence be in F), so
 *    the runs equal the true flights there.
 * Ids: a run keeps the id of the earliest stored flight it absorbs (extension and merge keep
 * it; after a split the first part keeps it); absorbed flights that lost their id are removed.
 * Appending after the drone's tail (the usual case) skips steps 2-3: see `append`.
 */
export class FlightDetector {
  constructor(
    private readonly flights: FlightRepository,
    private readonly telemetry: TelemetryRepository,
    private readonly gapMs: number,
    /** Steps of one drone never interleave (they read, then rewrite its flights). */
    private readonly locks: DroneLocks,
  ) {}

  /**
   * `fresh`: points stored by this job. `repeated`: points of the job that were already stored;
   * they change nothing, unless a crashed earlier run stored them without updating flights.
   */
  async onPoints(fresh: TelemetryPoint[], repeated: TelemetryPoint[] = []): Promise<void> {
    const perDrone = new Map<string, { fresh: TelemetryPoint[]; repeated: TelemetryPoint[] }>();
    const entry = (p: TelemetryPoint) => {
      let e = perDrone.get(p.droneId);
      if (!e) perDrone.set(p.droneId, (e = { fresh: [], repeated: [] }));
      return e;
    };
    for (const p of fresh) entry(p).fresh.push(p);
    for (const p of repeated) entry(p).repeated.push(p);
    await this.locks.forEach([...perDrone.keys()], (droneId) => {
      const e = perDrone.get(droneId)!;
      return this.detect(e.fresh, e.repeated);
    });
  }

  private async detect(fresh: TelemetryPoint[], repeated: TelemetryPoint[]): Promise<void> {
    const all = [...fresh, ...repeated];
    const { tenantId, droneId } = all[0];
    let min = Infinity;
    let max = -Infinity;
    for (const p of all) {
      if (p.ts < min) min = p.ts;
      if (p.ts > max) max = p.ts;
    }
    const [stored, tail] = await Promise.all([
      this.flights.overlapping(droneId, min - this.gapMs, max + this.gapMs),
      this.flights.tail(droneId),
    ]);
    // No tail and no flight nearby: the drone's first step, nothing stored to link to (history
    // from before flights existed is not back-filled, see README).
    if (repeated.length === 0 && (tail ? min > tail.ts : stored.length === 0)) {
      await this.flights.apply(this.append(tenantId, droneId, fresh, stored, tail));
      return;
    }
    const touched = [...fresh, ...repeated.filter((p) => !consistent(p, stored))];
    const broken = brokenFlights(stored, touched);
    if (touched.length === 0 && broken.size === 0) return;
    await this.flights.apply(await this.rebuild(tenantId, droneId, touched, stored, broken, tail));
  }

  /**
   * The common case, without reading history: every new point is newer than the tail (the newest
   * point already in the drone's flights), so the only stored point that can link to them is the
   * tail itself, the last point of the flight ending there. A point stored but not yet detected
   * (another job's, between tail and these) is older than the new tail, so its own step takes
   * the full path below and corrects the flights around it.
   */
  private append(tenantId: string, droneId: string, fresh: TelemetryPoint[], stored: FlightRecord[], tail: DroneTail | null): FlightChange {
    const last = tail?.inAir ? stored.find((f) => f.endTs === tail.ts) : undefined;
    const items: RunItem[] = last ? [{ kind: 'flight', flight: last }] : [];
    const points = [...fresh].sort((a, b) => a.ts - b.ts);
    for (const point of points) items.push({ kind: 'point', point });
    const newest = points[points.length - 1];
    return { ...this.toChange(tenantId, droneId, items, last ? [last] : []), tail: { droneId, ts: newest.ts, inAir: isInAir(newest) } };
  }

  private async rebuild(
    tenantId: string,
    droneId: string,
    touched: TelemetryPoint[],
    stored: FlightRecord[],
    broken: Set<FlightRecord>,
    tail: DroneTail | null,
  ): Promise<FlightChange> {
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of touched) {
      lo = Math.min(lo, p.ts);
      hi = Math.max(hi, p.ts);
    }
    if (touched.length === 0) [lo, hi] = [stored[0].startTs, stored[stored.length - 1].endTs];
    const [m, M] = [lo, hi];
    for (const f of stored) {
      if (broken.has(f)) [lo, hi] = [Math.min(lo, f.startTs), Math.max(hi, f.endTs)];
      else if (f.endTs < m) lo = Math.min(lo, f.endTs);
      else if (f.startTs > M) hi = Math.max(hi, f.startTs);
    }
    const blocks = stored.filter((f) => !broken.has(f));
    const items: RunItem[] = blocks.map((flight) => ({ kind: 'flight', flight }));
    let newest: TelemetryPoint | null = null;
    for await (const point of this.history(tenantId, droneId, lo, hi)) {
      newest = point;
      if (blocks.some((f) => point.ts >= f.startTs && point.ts <= f.endTs)) continue;
      items.push({ kind: 'point', point, owner: stored.find((f) => broken.has(f) && point.ts >= f.startTs && point.ts <= f.endTs) });
    }
    items.sort((a, b) => start(a) - start(b));
    const change = this.toChange(tenantId, droneId, items, stored);
    // The tail only moves forward: it is the newest point any step has taken into the flights.
    if (newest && (!tail || newest.ts > tail.ts)) change.tail = { droneId, ts: newest.ts, inAir: isInAir(newest) };
    return change;
  }

  /** Runs over the items, as upserts and removals with stable ids (see the class comment). */
  private toChange(tenantId: string, droneId: string, items: RunItem[], stored: FlightRecord[]): FlightChange {
    const claimed = new Set<string>();
    const upsert: FlightRecord[] = [];
    for (const run of buildRuns(items, this.gapMs)) {
      if (run.unchanged) {
        claimed.add(run.owners[0].id);
        continue;
      }
      const keep = run.owners.find((f) => !claimed.has(f.id));
      const id = keep?.id ?? newId();
      claimed.add(id);
      upsert.push({ ...run.summary, id, tenantId, droneId });
    }
    return { upsert, remove: stored.filter((f) => !claimed.has(f.id)).map((f) => f.id) };
  }

  /** The drone's stored points in [from, to], ascending, read in pages. */
  private async *history(tenantId: string, droneId: string, from: number, to: number): AsyncGenerator<TelemetryPoint> {
    for (let cursor = from; cursor <= to;) {
      const page = await this.telemetry.track({ tenantId, droneId, from: cursor, to, limit: PAGE });
      yield* page;
      if (page.length < PAGE) return;
      cursor = page[page.length - 1].ts + 1;
    }
  }
}

const start = (i: RunItem) => (i.kind === 'flight' ? i.flight.startTs : i.point.ts);

/** Whether stored flights already reflect a point (an in-air point lies in one, a ground point in none). */
function consistent(p: TelemetryPoint, flights: FlightRecord[]): boolean {
  const inside = flights.some((f) => p.ts >= f.startTs && p.ts <= f.endTs);
  return isInAir(p) ? inside : !flights.some((f) => p.ts > f.startTs && p.ts < f.endTs);
}

/**
 * Flights to re-read: those with a touched point in their span, and any two that overlap
 * (a crash between an upsert and a removal can leave that; re-reading heals it).
 */
function brokenFlights(flights: FlightRecord[], touched: TelemetryPoint[]): Set<FlightRecord> {
  const broken = new Set<FlightRecord>();
  for (const f of flights) {
    if (touched.some((p) => p.ts >= f.startTs && p.ts <= f.endTs)) broken.add(f);
  }
  for (let i = 1; i < flights.length; i++) {
    if (flights[i].startTs <= flights[i - 1].endTs) broken.add(flights[i]).add(flights[i - 1]);
  }
  return broken;
}
