import { isoTime, type TelemetryPoint } from '../core/index.js';

/**
 * A stored flight: the summary of a maximal run of a drone's in-the-air points (see API.md,
 * Flights). Besides the public statistics it keeps the first and last point's position, so a
 * summary can be extended by a neighbouring point or merged with a neighbouring flight without
 * re-reading the flight's history (distance is a sum over consecutive points).
 */
export interface FlightRecord {
  id: string;
  tenantId: string;
  droneId: string;
  startTs: number;
  endTs: number;
  points: number;
  distanceMeters: number;
  maxAltitude: number | null;
  maxHeightAgl: number | null;
  maxSpeed: number | null;
  batteryStart: number | null;
  batteryEnd: number | null;
  /** [minLon, minLat, maxLon, maxLat] */
  bbox: [number, number, number, number];
  first: { lat: number; lon: number };
  last: { lat: number; lon: number };
}

/** The contract's in-the-air rule. */
export function isInAir(p: Pick<TelemetryPoint, 'status' | 'heightAgl' | 'speed'>): boolean {
  if (p.status === 'airborne' || p.status === 'emergency') return true;
  if (p.status !== 'unknown') return false;
  return (p.heightAgl !== undefined && p.heightAgl > 2) || (p.speed !== undefined && p.speed > 2);
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle (haversine) distance in metres. */
export function greatCircleMeters(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A summary without an id: what a run of points (or of shorter runs) adds up to. */
export type FlightSummary = Omit<FlightRecord, 'id'>;

const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

export function summaryOfPoint(p: TelemetryPoint): FlightSummary {
  return {
    tenantId: p.tenantId,
    droneId: p.droneId,
    startTs: p.ts,
    endTs: p.ts,
    points: 1,
    distanceMeters: 0,
    maxAltitude: p.altitude ?? null,
    maxHeightAgl: p.heightAgl ?? null,
    maxSpeed: p.speed ?? null,
    batteryStart: p.battery ?? null,
    batteryEnd: p.battery ?? null,
    bbox: [p.lon, p.lat, p.lon, p.lat],
    first: { lat: p.lat, lon: p.lon },
    last: { lat: p.lat, lon: p.lon },
  };
}

/**
 * Joins two summaries where `b` directly follows `a` in time: an associative operation, so a
 * flight can be built point by point, or from stored neighbours plus new points, alike.
 */
export function joinSummaries(a: FlightSummary, b: FlightSummary): FlightSummary {
  return {
    tenantId: a.tenantId,
    droneId: a.droneId,
    startTs: a.startTs,
    endTs: b.endTs,
    points: a.points + b.points,
    distanceMeters: a.distanceMeters + greatCircleMeters(a.last, b.first) + b.distanceMeters,
    maxAltitude: maxOf(a.maxAltitude, b.maxAltitude),
    maxHeightAgl: maxOf(a.maxHeightAgl, b.maxHeightAgl),
    maxSpeed: maxOf(a.maxSpeed, b.maxSpeed),
    batteryStart: a.batteryStart ?? b.batteryStart,
    batteryEnd: b.batteryEnd ?? a.batteryEnd,
    bbox: [Math.min(a.bbox[0], b.bbox[0]), Math.min(a.bbox[1], b.bbox[1]), Math.max(a.bbox[2], b.bbox[2]), Math.max(a.bbox[3], b.bbox[3])],
    first: a.first,
    last: b.last,
  };
}

/**
 * Appends a point that directly follows `acc` in time, in place: the same result as
 * joinSummaries(acc, summaryOfPoint(p)) without allocating per point (runs are built per job).
 */
export function extendSummary(acc: FlightSummary, p: TelemetryPoint): void {
  acc.distanceMeters += greatCircleMeters(acc.last, p);
  acc.endTs = p.ts;
  acc.points += 1;
  if (p.altitude !== undefined) acc.maxAltitude = acc.maxAltitude === null ? p.altitude : Math.max(acc.maxAltitude, p.altitude);
  if (p.heightAgl !== undefined) acc.maxHeightAgl = acc.maxHeightAgl === null ? p.heightAgl : Math.max(acc.maxHeightAgl, p.heightAgl);
  if (p.speed !== undefined) acc.maxSpeed = acc.maxSpeed === null ? p.speed : Math.max(acc.maxSpeed, p.speed);
  if (p.battery !== undefined) {
    acc.batteryStart ??= p.battery;
    acc.batteryEnd = p.battery;
  }
  const b = acc.bbox;
  if (p.lon < b[0]) b[0] = p.lon;
  if (p.lat < b[1]) b[1] = p.lat;
  if (p.lon > b[2]) b[2] = p.lon;
  if (p.lat > b[3]) b[3] = p.lat;
  acc.last = { lat: p.lat, lon: p.lon };
}

/** The public JSON shape; `ongoing` needs the drone's newest point, which the caller knows. */
export interface FlightView {
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

/** ongoing: the flight's last point is the drone's newest point and younger than the gap. */
export function toFlightView(f: FlightRecord, newestPointTs: number | null, now: number, gapMs: number): FlightView {
  return {
    id: f.id,
    droneId: f.droneId,
    startedAt: isoTime(f.startTs),
    endedAt: isoTime(f.endTs),
    ongoing: newestPointTs === f.endTs && now - f.endTs < gapMs,
    durationSeconds: (f.endTs - f.startTs) / 1000,
    distanceMeters: Math.round(f.distanceMeters * 100) / 100,
    maxAltitude: f.maxAltitude,
    maxHeightAgl: f.maxHeightAgl,
    maxSpeed: f.maxSpeed,
    batteryStart: f.batteryStart,
    batteryEnd: f.batteryEnd,
    points: f.points,
    bbox: f.bbox,
  };
}
