import type { Feature, Point } from 'geojson';

export const STATUSES = ['airborne', 'ground', 'emergency', 'unknown'] as const;
export type DroneStatus = (typeof STATUSES)[number];

/** `Drone.state` of the API contract. */
export interface DroneState {
  timestamp: string;
  lat: number;
  lon: number;
  altitude?: number | null;
  speed?: number | null;
  heading?: number | null;
  battery?: number | null;
  status: DroneStatus;
  online: boolean;
  lowBattery: boolean;
  lastSeenAt: string;
}

export interface Drone {
  id: string;
  name: string;
  serialNumber: string | null;
  model: string | null;
  createdAt: string;
  state: DroneState | null;
}

/** Properties of a map feature: the state fields plus name (and `id`, copied in by the client). */
export type DroneProps = Partial<DroneState> & { id: string; name?: string; status: DroneStatus; online: boolean; lowBattery: boolean };
export type DroneFeature = Feature<Point, DroneProps>;

export interface TrackPoint {
  timestamp: string;
  lat: number;
  lon: number;
  [k: string]: unknown;
}

/** west, south, east, north */
export type BBox = [number, number, number, number];

/** A page of a cursor-paged list endpoint. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
