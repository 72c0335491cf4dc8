import type { LiveDrone } from '../cache/index.js';
import { toFeature } from './views.js';

interface Memo {
  ts: number;
  lastSeenAt: number;
  name: string;
  /** The Feature's JSON up to and after the `online` value, which depends on the reading time. */
  head: string;
  tail: string;
}

const ONLINE_MARK = '"online":true';

/**
 * Feature JSON serialised once per drone state: a map read of thousands of drones then costs a
 * lookup and a string join per drone instead of building and stringifying each Feature anew.
 */
export class FeatureJsonCache {
  private readonly memo = new Map<string, Memo>();

  constructor(
    private readonly offlineAfterMs: number,
    private readonly maxEntries = 200_000,
  ) {}

  feature(d: LiveDrone, now: number): string {
    let m = this.memo.get(d.droneId);
    if (!m || m.ts !== d.ts || m.lastSeenAt !== d.lastSeenAt || m.name !== d.name) {
      // Serialised as online; the first mark is the key (a name's quotes are escaped, and it comes later).
      const json = JSON.stringify(toFeature(d, d.lastSeenAt, this.offlineAfterMs));
      const at = json.indexOf(ONLINE_MARK) + ONLINE_MARK.length - 'true'.length;
      m = { ts: d.ts, lastSeenAt: d.lastSeenAt, name: d.name, head: json.slice(0, at), tail: json.slice(at + 4) };
      // Bounded without bookkeeping: a full memo starts over and refills from reads.
      if (this.memo.size >= this.maxEntries) this.memo.clear();
      this.memo.set(d.droneId, m);
    }
    return m.head + (now - d.lastSeenAt < this.offlineAfterMs ? 'true' : 'false') + m.tail;
  }

  /** A FeatureCollection with the contract's `truncated` flag, as a JSON string. */
  collection(drones: LiveDrone[], truncated: boolean, now: number): string {
    const parts = new Array<string>(drones.length);
    for (let i = 0; i < drones.length; i++) parts[i] = this.feature(drones[i], now);
    return `{"type":"FeatureCollection","truncated":${truncated},"features":[${parts.join(',')}]}`;
  }

  forget(droneId: string): void {
    this.memo.delete(droneId);
  }
}
