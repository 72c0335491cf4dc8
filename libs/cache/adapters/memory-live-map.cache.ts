import { bboxContains, type BBox } from '../../core/index.js';
import type { BBoxResult, LiveDrone, LiveMapCache } from '../live-map.cache.port.js';

interface JsonEntry {
  json: string;
  expiresAt: number;
}

/** Expired JSON entries are swept after this many writes, so memory stays bounded without timers. */
const SWEEP_EVERY_WRITES = 1024;

/**
 * Single-process cache: one Map of drones per tenant, bbox search by scanning it
 * (a few ms for 10k drones). Values are copied in and out so callers never share objects with it.
 */
export class MemoryLiveMapCache implements LiveMapCache {
  private readonly tenants = new Map<string, Map<string, LiveDrone>>();
  private readonly values = new Map<string, JsonEntry>();
  private writes = 0;
  private warm = false;

  async putDrones(drones: LiveDrone[]): Promise<void> {
    for (const d of drones) {
      let drones = this.tenants.get(d.tenantId);
      if (!drones) this.tenants.set(d.tenantId, (drones = new Map()));
      const cached = drones.get(d.droneId);
      // Equal timestamps replace: a re-put of the same state may carry a new name.
      if (!cached || cached.ts <= d.ts) drones.set(d.droneId, { ...d });
    }
  }

  async removeDrone(tenantId: string, droneId: string): Promise<void> {
    const drones = this.tenants.get(tenantId);
    drones?.delete(droneId);
    if (drones?.size === 0) this.tenants.delete(tenantId);
  }

  async getDrones(tenantId: string, droneIds: string[]): Promise<(LiveDrone | null)[]> {
    const drones = this.tenants.get(tenantId);
    return droneIds.map((id) => {
      const d = drones?.get(id);
      return d ? { ...d } : null;
    });
  }

  async search(tenantId: string, box: BBox, limit: number): Promise<BBoxResult> {
    const max = Math.max(0, Math.floor(limit));
    const found: LiveDrone[] = [];
    for (const d of this.tenants.get(tenantId)?.values() ?? []) {
      if (!bboxContains(box, d.lon, d.lat)) continue;
      if (found.length === max) return { drones: found, truncated: true };
      found.push({ ...d });
    }
    return { drones: found, truncated: false };
  }

  async isWarm(): Promise<boolean> {
    return this.warm;
  }

  async markWarm(): Promise<void> {
    this.warm = true;
  }

  async getJson<T>(key: string): Promise<T | null> {
    const entry = this.values.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= Date.now()) {
      this.values.delete(key);
      return null;
    }
    return JSON.parse(entry.json) as T;
  }

  async setJson(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (++this.writes % SWEEP_EVERY_WRITES === 0) this.sweep();
    // Non-positive TTL: nothing to keep, and an older value must not survive.
    if (!(ttlSeconds > 0)) {
      this.values.delete(key);
      return;
    }
    this.values.set(key, { json: JSON.stringify(value), expiresAt: Date.now() + ttlSeconds * 1000 });
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.values.delete(key);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.tenants.clear();
    this.values.clear();
    this.warm = false;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.values) if (entry.expiresAt <= now) this.values.delete(key);
  }
}
