import type { DroneStatus, TelemetryPoint } from './telemetry-point.js';

export const LOW_BATTERY_PERCENT = 20;

/** Per-drone latest state, as stored: the point with the newest timestamp received. */
export interface DroneState {
  tenantId: string;
  droneId: string;
  ts: number;
  lat: number;
  lon: number;
  altitude: number | null;
  speed: number | null;
  heading: number | null;
  battery: number | null;
  status: DroneStatus;
  /** Server time (epoch ms) at which the point that set this state was received. */
  lastSeenAt: number;
}

export function stateFromPoint(p: TelemetryPoint): DroneState {
  return {
    tenantId: p.tenantId,
    droneId: p.droneId,
    ts: p.ts,
    lat: p.lat,
    lon: p.lon,
    altitude: p.altitude ?? null,
    speed: p.speed ?? null,
    heading: p.heading ?? null,
    battery: p.battery ?? null,
    status: p.status,
    lastSeenAt: p.receivedAt,
  };
}

/** Picks, per drone, the point with the newest timestamp (ties: the first one). */
export function newestPerDrone(points: readonly TelemetryPoint[]): TelemetryPoint[] {
  const newest = new Map<string, TelemetryPoint>();
  for (const p of points) {
    const current = newest.get(p.droneId);
    if (!current || p.ts > current.ts) newest.set(p.droneId, p);
  }
  return [...newest.values()];
}
