import type { LiveDrone } from '../cache/index.js';
import { toFeature } from './views.js';

interface Memo {
  ts: number;
  lastSeenAt: number;
  name: string;
  /** The Feature's JSON, serialised with `online` as it was at `online`'s last computation. */
  json: string;
  online: boolean;
}

/**
 * Feature JSON serialised once per drone state: a map read of thousands of drones then costs a
 * lookup per drone and one join, instead of building and stringifying each Feature anew. The
 * whole string is kept (not pieces around `online`), so a read allocates no per-drone strings:
 * those short-lived objects were what the young-generation collections of world reads copied.
 */
export class FeatureJsonCache {
  private readonly memo = new Map<string, Memo>();

  constructor(
    private readonly offlineAfterMs: number,
    private readonly maxEntries = 200_000,
  ) {}

  feature(d: LiveDrone, now: number): string {
    const online = now - d.lastSeenAt < this.offlineAfterMs;
    const m = this.memo.get(d.droneId);
    if (m && m.ts === d.ts && m.lastSeenAt === d.lastSeenAt && m.name === d.name && m.online === online) return m.json;
    // `online` flips once per silence, so a drone is serialised again at most once more for it.
    const json = JSON.stringify(toFeature(d, now, this.offlineAfterMs));
    // Bounded without bookkeeping: a full memo starts over and refills from reads.
    if (!m && this.memo.size >= this.maxEntries) this.memo.clear();
    this.memo.set(d.droneId, { ts: d.ts, lastSeenAt: d.lastSeenAt, name: d.name, json, online });
    return json;
  }

  /** A FeatureCollection with the contract's `truncated` flag, as a JSON string. */
  collection(drones: readonly LiveDrone[], truncated: boolean, now: number): string {
    const parts = new Array<string>(drones.length);
    for (let i = 0; i < drones.length; i++) parts[i] = this.feature(drones[i], now);
    return `{"type":"FeatureCollection","truncated":${truncated},"features":[${parts.join(',')}]}`;
  }

  forget(droneId: string): void {
    this.memo.delete(droneId);
  }
}
