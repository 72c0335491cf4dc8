/** `Flight` of the API contract (Flights v1.1). */
export interface Flight {
  id: string;
  droneId: string;
  startedAt: string;
  endedAt: string;
  ongoing: boolean;
  durationSeconds: number;
  distanceMeters: number;
  maxAltitude: number | null;
  maxHeightAgl: number | null;
  maxSpeed: number | null;
  batteryStart: number | null;
  batteryEnd: number | null;
  points: number;
  bbox: [number, number, number, number];
}

/** A stored point as the flight track returns it. */
export interface FlightPoint {
  timestamp: string;
  lat: number;
  lon: number;
  altitude?: number;
  heightAgl?: number;
  speed?: number;
  heading?: number;
  battery?: number;
  status: string;
}

export const EXPORT_FORMATS = ['gpx', 'kml', 'csv', 'geojson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
