import type { MultiPolygon, Polygon } from 'geojson';

export const GEOFENCE_RULES = ['keep-out', 'keep-in'] as const;
export type GeofenceRule = (typeof GEOFENCE_RULES)[number];
export const ALTITUDE_REFERENCES = ['agl', 'wgs84'] as const;
export type AltitudeReference = (typeof ALTITUDE_REFERENCES)[number];

/** A tenant's geofence as stored (times in epoch ms). */
export interface Geofence {
  id: string;
  tenantId: string;
  name: string;
  rule: GeofenceRule;
  geometry: Polygon | MultiPolygon;
  floor: number | null;
  ceiling: number | null;
  altitudeReference: AltitudeReference;
  /** null: every drone of the tenant, present and future. */
  droneIds: string[] | null;
  active: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface GeofenceView extends Omit<Geofence, 'tenantId' | 'createdAt' | 'updatedAt'> {
  createdAt: string;
  updatedAt: string;
}

export function toGeofenceView(g: Geofence): GeofenceView {
  return {
    id: g.id,
    name: g.name,
    rule: g.rule,
    geometry: g.geometry,
    floor: g.floor,
    ceiling: g.ceiling,
    altitudeReference: g.altitudeReference,
    droneIds: g.droneIds,
    active: g.active,
    createdAt: new Date(g.createdAt).toISOString(),
    updatedAt: new Date(g.updatedAt).toISOString(),
  };
}

export const MAX_GEOFENCES_PER_TENANT = 1000;
