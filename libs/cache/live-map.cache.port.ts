import type { BBox, DroneState } from '../core/index.js';

export const LIVE_MAP_CACHE = Symbol('LiveMapCache');

/** A drone's latest state plus what the map shows beside it. */
export interface LiveDrone extends DroneState {
  name: string;
}

export interface BBoxResult {
  /** Read-only: an adapter may hand out its own objects. */
  drones: readonly Readonly<LiveDrone>[];
  /** More drones matched than `limit`. */
  truncated: boolean;
}

/**
 * What the website asks for most: latest positions per tenant (a geo index for bbox queries)
 * and small JSON values with a time to live (drone details, names), invalidated on change.
 */
export interface LiveMapCache {
  /**
   * Stores states; a state older than the cached one for the same drone is ignored, one with the
   * same timestamp replaces it (a rename). Returns the drones whose state moved forward (new or
   * strictly newer): what is worth announcing.
   */
  putDrones(drones: LiveDrone[]): Promise<LiveDrone[]>;
  removeDrone(tenantId: string, droneId: string): Promise<void>;
  getDrones(tenantId: string, droneIds: string[]): Promise<(Readonly<LiveDrone> | null)[]>;
  /** Drones of the tenant whose latest position lies in the box, at most `limit`. */
  search(tenantId: string, box: BBox, limit: number): Promise<BBoxResult>;
  /** Whether the live positions were loaded since the cache last started empty. */
  isWarm(): Promise<boolean>;
  markWarm(): Promise<void>;

  getJson<T>(key: string): Promise<T | null>;
  setJson(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  delete(keys: string[]): Promise<void>;

  ping(): Promise<void>;
  close(): Promise<void>;
}
