import type { MultiPolygon, Polygon } from 'geojson';

export interface Geofence {
  id: string;
  name: string;
  rule: 'keep-out' | 'keep-in';
  geometry: Polygon | MultiPolygon;
  floor: number | null;
  ceiling: number | null;
  altitudeReference: 'agl' | 'wgs84';
  droneIds: string[] | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export type GeofenceInput = Partial<Omit<Geofence, 'id' | 'createdAt' | 'updatedAt'>>;

/** Rule colours: keep-out red, keep-in green (map fill, outline and list swatch). */
export const RULE_COLORS: Record<Geofence['rule'], string> = { 'keep-out': '#ff4d4f', 'keep-in': '#3fb950' };

/** "0–120 m AGL", or "" when the geofence spans all heights. */
export function bandLabel(g: Pick<Geofence, 'floor' | 'ceiling' | 'altitudeReference'>): string {
  if (g.floor === null && g.ceiling === null) return '';
  const ref = g.altitudeReference === 'wgs84' ? 'WGS84' : 'AGL';
  return `${g.floor ?? '…'}–${g.ceiling ?? '…'} m ${ref}`;
}
