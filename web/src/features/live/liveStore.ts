import type { GeoJSONSourceDiff } from 'maplibre-gl';
import type { DroneFeature, DroneProps } from '../../types';
import { featureTime, normaliseFeature, toMapFeature } from './droneFeature';

export type BatchListener = (changed: ReadonlySet<string>, removed: ReadonlySet<string>) => void;
export interface BatchStats {
  count: number; // features applied in this batch
  flushMs: number; // the one synchronous block per frame: merge the buffer, build and post the diff, notify the UI
  parseMs: number; // JSON.parse of this batch's stream messages (spread over the frame, as they arrive)
}

/**
 * Live drone features keyed by id. Updates are buffered (last one per drone wins, older
 * timestamps never move a drone back) and applied once per animation frame as ONE diff to
 * the map source; while the map's worker is still busy with the previous diff, updates keep
 * accumulating, so the worker is never flooded.
 */
export class LiveStore {
  readonly features = new Map<string, DroneFeature>();
  private pending = new Map<string, DroneFeature>();
  private removals = new Set<string>();
  private raf = 0;
  private busy = false;
  private parseMs = 0;
  private listeners: BatchListener[] = [];
  /** Applies a diff to the map; resolves when the map has taken it. */
  sink: ((diff: GeoJSONSourceDiff) => Promise<void>) | null = null;
  onBatch: ((s: BatchStats) => void) | null = null;

  subscribe(fn: BatchListener): () => void {
    this.listeners.push(fn);
    return () => (this.listeners = this.listeners.filter((l) => l !== fn));
  }

  /** The newest known feature for an id (including a not yet applied one). */
  get(id: string): DroneFeature | undefined {
    return this.pending.get(id) ?? this.features.get(id);
  }

  /** Live properties of a drone, with the position copied in from the geometry. */
  props(id: string): DroneProps | undefined {
    const f = this.get(id);
    if (!f) return undefined;
    const p = f.properties;
    if (p.lon === undefined || p.lat === undefined) {
      p.lon = f.geometry.coordinates[0];
      p.lat = f.geometry.coordinates[1];
    }
    return p;
  }

  upsert(f: DroneFeature): boolean {
    const id = f.properties.id;
    const cur = this.get(id);
    if (cur) {
      const a = featureTime(cur);
      const b = featureTime(f);
      if (a > b) return false; // never move back in time
      const cp = cur.properties;
      const np = f.properties;
      if (a === b && cp.online === np.online && cp.lowBattery === np.lowBattery && cp.status === np.status) return false; // nothing new
    }
    this.pending.set(id, f);
    this.removals.delete(id);
    this.schedule();
    return true;
  }

  remove(id: string): void {
    this.pending.delete(id);
    if (this.features.has(id)) {
      this.removals.add(id);
      this.schedule();
    }
  }

  /** One SSE `data:` payload (a Feature as JSON). Parse time is charged to the next batch. */
  ingestRaw(data: string): void {
    const t0 = performance.now();
    let f: DroneFeature | null;
    try {
      f = normaliseFeature(JSON.parse(data));
    } catch {
      f = null;
    }
    if (f) this.upsert(f);
    this.parseMs += performance.now() - t0;
  }

  private schedule(): void {
    if (!this.raf) this.raf = requestAnimationFrame(this.flush);
  }

  /** Applied once per animation frame. */
  private flush = (): void => {
    this.raf = 0;
    if (this.busy) {
      this.schedule(); // map still digesting the previous diff: keep buffering
      return;
    }
    if (this.pending.size === 0 && this.removals.size === 0) return;
    const t0 = performance.now();
    const add: DroneFeature[] = [];
    const changed = new Set<string>();
    for (const [id, f] of this.pending) {
      this.features.set(id, f);
      add.push(toMapFeature(f));
      changed.add(id);
    }
    const removed = this.removals;
    for (const id of removed) this.features.delete(id);
    this.pending = new Map();
    this.removals = new Set();
    if (this.sink) {
      this.busy = true;
      const diff: GeoJSONSourceDiff = {};
      if (add.length) diff.add = add;
      if (removed.size) diff.remove = Array.from(removed);
      this.sink(diff)
        .catch(() => undefined)
        .finally(() => (this.busy = false));
    }
    for (const l of this.listeners) l(changed, removed);
    const flushMs = performance.now() - t0;
    this.onBatch?.({ count: add.length + removed.size, flushMs, parseMs: this.parseMs });
    this.parseMs = 0;
  };

  destroy(): void {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
    this.listeners = [];
    this.sink = null;
    this.onBatch = null;
  }
}
