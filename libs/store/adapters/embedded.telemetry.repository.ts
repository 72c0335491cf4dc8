import { join } from 'node:path';
import type { DroneState, TelemetryPoint } from '../../core/index.js';
import type { TelemetryRepository, TrackQuery } from '../telemetry.repository.port.js';
import type { EmbeddedStoreOptions } from './embedded.identity.repository.js';
import { LogWriter, openLog } from './embedded-log.js';
import { compareStrings, lowerBound, upperBound } from './sorted.js';
import { newestStatePerDrone } from './state-candidates.js';
import { consoleStoreLogger } from './store-logger.js';

/** One line of telemetry.log: a batch of new points, a batch of applied states, or a retention cut. */
type TelemetryRecord = { t: 'h'; v: TelemetryPoint[] } | { t: 's'; v: DroneState[] } | { t: 'cut'; ts: number };

/** A drone's history, sorted by ts, and the set of its timestamps for O(1) dedupe. */
interface Series {
  points: TelemetryPoint[];
  seen: Set<number>;
}

const byTs = (p: TelemetryPoint, ts: number) => p.ts - ts;
/** Below this many out-of-order points, inserting one by one beats a full merge. */
const SPLICE_LIMIT = 16;
const SNAPSHOT_CHUNK = 1000;

/** History and states in memory, made durable by an fdatasync'ed append-only log in the data directory. */
export class EmbeddedTelemetryRepository implements TelemetryRepository {
  private readonly series = new Map<string, Series>();
  private readonly states = new Map<string, DroneState>();
  /** Drone ids with a state, sorted, for scanStates pages. */
  private readonly stateIds: string[] = [];
  private pointCount = 0;
  private writer: LogWriter<TelemetryRecord>;

  private constructor() {}

  static async open(dataDir: string, options: EmbeddedStoreOptions = {}): Promise<EmbeddedTelemetryRepository> {
    const repo = new EmbeddedTelemetryRepository();
    const { log, records, tornTail } = openLog<TelemetryRecord>(join(dataDir, 'telemetry.log'));
    let logged = 0;
    for (const r of records) {
      repo.apply(r);
      logged += r.t === 'cut' ? 1 : r.v.length;
    }
    repo.writer = new LogWriter(log, options.logger ?? consoleStoreLogger, 'telemetry');
    const live = repo.pointCount + repo.states.size;
    if (tornTail || logged > 2 * live + (options.compactSlack ?? 10_000)) repo.writer.rewrite(repo.snapshot());
    return repo;
  }

  async insertHistory(points: TelemetryPoint[]): Promise<TelemetryPoint[]> {
    this.writer.check();
    const fresh: TelemetryPoint[] = [];
    const seenHere = new Set<string>();
    for (const p of points) {
      const key = `${p.droneId}|${p.ts}`;
      if (seenHere.has(key) || this.series.get(p.droneId)?.seen.has(p.ts)) continue;
      seenHere.add(key);
      fresh.push({ ...p });
    }
    const record: TelemetryRecord = { t: 'h', v: fresh };
    if (fresh.length > 0) this.apply(record);
    await this.writer.commit(fresh.length > 0 ? [record] : []);
    return fresh.map((p) => ({ ...p }));
  }

  async applyStates(candidates: DroneState[]): Promise<DroneState[]> {
    this.writer.check();
    const applied = newestStatePerDrone(candidates)
      .filter((c) => {
        const current = this.states.get(c.droneId);
        return !current || c.ts > current.ts;
      })
      .map((c) => ({ ...c }));
    const record: TelemetryRecord = { t: 's', v: applied };
    if (applied.length > 0) this.apply(record);
    await this.writer.commit(applied.length > 0 ? [record] : []);
    return applied.map((s) => ({ ...s }));
  }

  async getStates(tenantId: string, droneIds: string[]): Promise<Map<string, DroneState>> {
    this.writer.check();
    const found = new Map<string, DroneState>();
    for (const id of droneIds) {
      const s = this.states.get(id);
      if (s && s.tenantId === tenantId) found.set(id, { ...s });
    }
    return found;
  }

  async scanStates(after: string | null, limit: number): Promise<DroneState[]> {
    this.writer.check();
    const start = after === null ? 0 : upperBound(this.stateIds, after, compareStrings);
    return this.stateIds.slice(start, start + Math.max(0, limit)).map((id) => ({ ...this.states.get(id)! }));
  }

  async track(q: TrackQuery): Promise<TelemetryPoint[]> {
    this.writer.check();
    const points = this.series.get(q.droneId)?.points ?? [];
    const out: TelemetryPoint[] = [];
    for (let i = lowerBound(points, q.from, byTs); i < points.length && out.length < q.limit; i++) {
      const p = points[i];
      if (p.ts > q.to) break;
      if (p.tenantId === q.tenantId) out.push({ ...p });
    }
    return out;
  }

  async deleteHistoryBefore(ts: number): Promise<number> {
    this.writer.check();
    const record: TelemetryRecord = { t: 'cut', ts };
    const removed = this.apply(record);
    await this.writer.commit(removed > 0 ? [record] : []);
    return removed;
  }

  async ping(): Promise<void> {
    this.writer.check();
  }

  async close(): Promise<void> {
    this.writer?.close();
  }

  /** Applies a record in memory; returns how many points a cut removed. */
  private apply(r: TelemetryRecord): number {
    if (r.t === 'h') {
      this.addPoints(r.v);
      return 0;
    }
    if (r.t === 's') {
      for (const s of r.v) {
        if (!this.states.has(s.droneId)) this.stateIds.splice(lowerBound(this.stateIds, s.droneId, compareStrings), 0, s.droneId);
        this.states.set(s.droneId, s);
      }
      return 0;
    }
    let removed = 0;
    for (const [droneId, series] of this.series) {
      const cut = lowerBound(series.points, r.ts, byTs);
      if (cut === 0) continue;
      for (let i = 0; i < cut; i++) series.seen.delete(series.points[i].ts);
      series.points = series.points.slice(cut);
      if (series.points.length === 0) this.series.delete(droneId);
      removed += cut;
    }
    this.pointCount -= removed;
    return removed;
  }

  /** Adds points known to be new, keeping each drone's history sorted. */
  private addPoints(points: TelemetryPoint[]): void {
    const byDrone = new Map<string, TelemetryPoint[]>();
    for (const p of points) {
      const list = byDrone.get(p.droneId);
      if (list) list.push(p);
      else byDrone.set(p.droneId, [p]);
    }
    for (const [droneId, batch] of byDrone) {
      let series = this.series.get(droneId);
      if (!series) {
        series = { points: [], seen: new Set() };
        this.series.set(droneId, series);
      }
      batch.sort((a, b) => a.ts - b.ts);
      for (const p of batch) series.seen.add(p.ts);
      const existing = series.points;
      if (existing.length === 0 || batch[0].ts > existing[existing.length - 1].ts) {
        for (const p of batch) existing.push(p);
      } else if (batch.length <= SPLICE_LIMIT) {
        for (const p of batch) existing.splice(lowerBound(existing, p.ts, byTs), 0, p);
      } else {
        series.points = mergeSorted(existing, batch);
      }
      this.pointCount += batch.length;
    }
  }

  private snapshot(): TelemetryRecord[] {
    const records: TelemetryRecord[] = [];
    for (const { points } of this.series.values()) {
      for (let i = 0; i < points.length; i += SNAPSHOT_CHUNK) records.push({ t: 'h', v: points.slice(i, i + SNAPSHOT_CHUNK) });
    }
    const states = this.stateIds.map((id) => this.states.get(id)!);
    for (let i = 0; i < states.length; i += SNAPSHOT_CHUNK) records.push({ t: 's', v: states.slice(i, i + SNAPSHOT_CHUNK) });
    return records;
  }
}

function mergeSorted(a: TelemetryPoint[], b: TelemetryPoint[]): TelemetryPoint[] {
  const out = new Array<TelemetryPoint>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i].ts <= b[j].ts ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}
