import { Redis } from 'ioredis';
import { bboxContains, UnavailableError, type BBox } from '../../core/index.js';
import type { BBoxResult, LiveDrone, LiveMapCache } from '../live-map.cache.port.js';
import { isGeoIndexable, planBoxSearch, type GeoBoxQuery } from './redis-geo-box.js';
import { adapterRedis } from '../../redis/index.js';
import { PUT_LUA, SCAN_LUA, SEARCH_LUA } from './redis-live-map.scripts.js';

/** Drones per EVALSHA: keeps each script call short so Redis stays responsive. */
const PUT_CHUNK = 500;
/** HSCAN page size for boxes too large for GEOSEARCH. */
const SCAN_COUNT = 1000;

interface ScriptedRedis extends Redis {
  dtLiveMapPut(geo: string, json: string, ts: string, side: string, ...args: (string | number)[]): Promise<number[]>;
  dtLiveMapSearch(geo: string, json: string, side: string, ...args: (string | number)[]): Promise<[number, (string | null)[]]>;
  dtLiveMapScan(json: string, cursor: string, want: number, pageSize: number): Promise<[string, string[]]>;
}

interface TenantKeys {
  geo: string;
  json: string;
  ts: string;
  side: string;
}

/**
 * Shared live map in Redis. Per tenant: a GEO set of positions, a hash of drone JSON, a hash of
 * state timestamps (for newer-wins) and a side set of drones beyond GEO's ±85.05° latitude.
 * The tenant's keys share a hash tag so scripts stay valid on Redis Cluster.
 */
export class RedisLiveMapCache implements LiveMapCache {
  private readonly redis: ScriptedRedis;
  /** Only a connection this adapter opened is closed by it. */
  private readonly ownsConnection: boolean;

  constructor(
    redis: string | Redis,
    private readonly prefix = 'dt:',
  ) {
    const { client, owned } = adapterRedis(redis, RedisLiveMapCache.name);
    this.ownsConnection = owned;
    client.defineCommand('dtLiveMapPut', { numberOfKeys: 4, lua: PUT_LUA });
    client.defineCommand('dtLiveMapSearch', { numberOfKeys: 3, lua: SEARCH_LUA });
    client.defineCommand('dtLiveMapScan', { numberOfKeys: 1, lua: SCAN_LUA });
    this.redis = client as ScriptedRedis;
  }

  async putDrones(drones: LiveDrone[]): Promise<LiveDrone[]> {
    if (drones.length === 0) return [];
    const byTenant = new Map<string, LiveDrone[]>();
    for (const d of drones) {
      const list = byTenant.get(d.tenantId);
      if (list) list.push(d);
      else byTenant.set(d.tenantId, [d]);
    }
    // One pipeline for the whole batch: a single round trip whatever the number of tenants.
    const pipe = this.redis.pipeline() as unknown as ScriptedRedis;
    const chunks: LiveDrone[][] = [];
    for (const [tenantId, list] of byTenant) {
      const k = this.tenantKeys(tenantId);
      for (let i = 0; i < list.length; i += PUT_CHUNK) {
        const chunk = list.slice(i, i + PUT_CHUNK);
        const args: (string | number)[] = [];
        for (const d of chunk) {
          args.push(d.droneId, d.ts, isGeoIndexable(d.lon, d.lat) ? '1' : '0', d.lon, d.lat, JSON.stringify(d));
        }
        chunks.push(chunk);
        void pipe.dtLiveMapPut(k.geo, k.json, k.ts, k.side, ...args);
      }
    }
    const results = await this.exec(pipe);
    const moved: LiveDrone[] = [];
    results.forEach(([, positions], c) => {
      for (const pos of positions as number[]) moved.push(chunks[c][(pos - 1) / 6]);
    });
    return moved;
  }

  async removeDrone(tenantId: string, droneId: string): Promise<void> {
    const k = this.tenantKeys(tenantId);
    const tx = this.redis.multi().zrem(k.geo, droneId).hdel(k.json, droneId).hdel(k.ts, droneId).srem(k.side, droneId);
    await this.exec(tx);
  }

  async getDrones(tenantId: string, droneIds: string[]): Promise<(LiveDrone | null)[]> {
    if (droneIds.length === 0) return [];
    const values = await this.call(() => this.redis.hmget(this.tenantKeys(tenantId).json, ...droneIds));
    return values.map((v) => (v === null ? null : (JSON.parse(v) as LiveDrone)));
  }

  async search(tenantId: string, box: BBox, limit: number): Promise<BBoxResult> {
    const max = Math.max(0, Math.floor(limit));
    const plan = planBoxSearch(box);
    const found =
      plan.kind === 'scan'
        ? await this.scanSearch(tenantId, box, max + 1)
        : await this.geoSearch(tenantId, box, max + 1, plan.geo, plan.sideSet);
    return { drones: found.slice(0, max), truncated: found.length > max };
  }

  async isWarm(): Promise<boolean> {
    return (await this.call(() => this.redis.exists(this.warmKey()))) === 1;
  }

  async markWarm(): Promise<void> {
    await this.call(() => this.redis.set(this.warmKey(), '1'));
  }

  async getJson<T>(key: string): Promise<T | null> {
    const raw = await this.call(() => this.redis.get(this.jsonKey(key)));
    return raw === null ? null : (JSON.parse(raw) as T);
  }

  async setJson(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    // Non-positive TTL: nothing to keep, and an older value must not survive.
    if (!(ttlSeconds > 0)) return this.delete([key]);
    // PX rather than EX so sub-second TTLs (tests) are not rounded to zero.
    const ms = Math.max(1, Math.round(ttlSeconds * 1000));
    await this.call(() => this.redis.set(this.jsonKey(key), JSON.stringify(value), 'PX', ms));
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.call(() => this.redis.unlink(...keys.map((k) => this.jsonKey(k))));
  }

  async ping(): Promise<void> {
    await this.call(() => this.redis.ping());
  }

  async close(): Promise<void> {
    if (!this.ownsConnection) return;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /**
   * GEOSEARCH returns a superset of the box (BYBOX is metres around a centre); the exact lon/lat test
   * runs here on the stored JSON, so edge drones are judged on their exact coordinates, not the
   * geohash-rounded ones. COUNT keeps a big viewport cheap; when it cut off candidates before
   * enough matched, the query runs again without it.
   */
  private async geoSearch(tenantId: string, box: BBox, want: number, geo: GeoBoxQuery | null, sideSet: boolean): Promise<LiveDrone[]> {
    const k = this.tenantKeys(tenantId);
    let count = geo ? Math.ceil(want * 1.25) + 16 : 0;
    for (;;) {
      const [fromGeo, values] = await this.call(() =>
        this.redis.dtLiveMapSearch(
          k.geo,
          k.json,
          k.side,
          geo ? '1' : '0',
          geo?.lon ?? 0,
          geo?.lat ?? 0,
          geo?.widthM ?? 0,
          geo?.heightM ?? 0,
          count,
          sideSet ? '1' : '0',
        ),
      );
      const found: LiveDrone[] = [];
      for (const v of values) {
        if (v === null) continue;
        const d = JSON.parse(v) as LiveDrone;
        if (bboxContains(box, d.lon, d.lat)) found.push(d);
      }
      if (count === 0 || fromGeo < count || found.length >= want) return found;
      count = 0;
    }
  }

  /**
   * For boxes GEOSEARCH cannot describe (nearly world-wide): walk the tenant's hash until `want`
   * drones matched. One round trip fetches at least as many values as still wanted, so a box
   * most drones lie in (the whole world) costs one call; thin wide boxes take more.
   */
  private async scanSearch(tenantId: string, box: BBox, want: number): Promise<LiveDrone[]> {
    const key = this.tenantKeys(tenantId).json;
    const found = new Map<string, LiveDrone>(); // HSCAN may return a field twice
    let cursor = '0';
    do {
      const [next, values] = await this.call(() => this.redis.dtLiveMapScan(key, cursor, want - found.size, SCAN_COUNT));
      for (let i = 0; i < values.length && found.size < want; i++) {
        const d = JSON.parse(values[i]) as LiveDrone;
        if (bboxContains(box, d.lon, d.lat)) found.set(d.droneId, d);
      }
      cursor = next;
    } while (cursor !== '0' && found.size < want);
    return [...found.values()];
  }

  private tenantKeys(tenantId: string): TenantKeys {
    const base = `${this.prefix}live:{${tenantId}}:`;
    return { geo: `${base}geo`, json: `${base}drones`, ts: `${base}ts`, side: `${base}side` };
  }

  private warmKey(): string {
    return `${this.prefix}live:warm`;
  }

  private jsonKey(key: string): string {
    return `${this.prefix}json:${key}`;
  }

  /** Runs a pipeline or transaction and fails if any command in it failed. */
  private async exec(batch: { exec(): Promise<[Error | null, unknown][] | null> }): Promise<[Error | null, unknown][]> {
    const results = (await this.call(() => batch.exec())) ?? [];
    const failed = results.find(([err]) => err);
    if (failed) throw unavailable(failed[0]);
    return results;
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw unavailable(e);
    }
  }
}

/** Redis failures become 503s for API users; the cause stays attached for the log. */
function unavailable(cause: unknown): UnavailableError {
  if (cause instanceof UnavailableError) return cause;
  return Object.assign(new UnavailableError(), { cause });
}
