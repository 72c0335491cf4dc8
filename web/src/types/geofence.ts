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
