import type { Geofence } from './geofence.js';

export const GEOFENCE_REPOSITORY = Symbol('GeofenceRepository');

export interface GeofencePage {
  items: Geofence[];
  /** Pass back as `after` for the next page; null on the last page. */
  next: { createdAt: number; id: string } | null;
}

/** Geofences per tenant. Every read takes the tenant id, so a foreign id reads as "not found". */
export interface GeofenceRepository {
  create(geofence: Geofence): Promise<void>;
  find(tenantId: string, id: string): Promise<Geofence | null>;
  /** In (createdAt, id) order, after the given position. */
  list(tenantId: string, limit: number, after?: { createdAt: number; id: string }): Promise<GeofencePage>;
  /** Every geofence of the tenant (the processor builds its index from them). */
  listAll(tenantId: string): Promise<Geofence[]>;
  count(tenantId: string): Promise<number>;
  /** Replaces a stored geofence; false when it does not exist (any more). */
  update(geofence: Geofence): Promise<boolean>;
  delete(tenantId: string, id: string): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
