/** The telemetry collections' documents and their mapping to domain records (MongoTelemetryRepository). */
import { OPTIONAL_POINT_FIELDS, type DroneState, type DroneStatus, type TelemetryPoint } from '../../core/index.js';

export type HistoryDoc = { _id: string } & TelemetryPoint;

/** One version of a drone's state; the drone's state is its newest version. */
export interface StateDoc {
  /** `droneId|ts`: a second insert of the same version is a duplicate, not a new state. */
  _id: string;
  droneId: string;
  tenantId: string;
  ts: number;
  lat: number;
  lon: number;
  altitude: number | null;
  speed: number | null;
  heading: number | null;
  battery: number | null;
  status: DroneStatus;
  lastSeenAt: number;
}

export function toHistoryDoc(p: TelemetryPoint): HistoryDoc {
  // Only defined fields: the driver would store `undefined` as null.
  const doc: HistoryDoc = {
    _id: `${p.droneId}|${p.ts}`,
    tenantId: p.tenantId,
    droneId: p.droneId,
    ts: p.ts,
    lat: p.lat,
    lon: p.lon,
    status: p.status,
    receivedAt: p.receivedAt,
  };
  for (const field of OPTIONAL_POINT_FIELDS) {
    if (p[field] !== undefined) doc[field] = p[field];
  }
  return doc;
}

export function toStateDoc(s: DroneState): StateDoc {
  return {
    _id: `${s.droneId}|${s.ts}`,
    droneId: s.droneId,
    tenantId: s.tenantId,
    ts: s.ts,
    lat: s.lat,
    lon: s.lon,
    altitude: s.altitude,
    speed: s.speed,
    heading: s.heading,
    battery: s.battery,
    status: s.status,
    lastSeenAt: s.lastSeenAt,
  };
}

export function toState(d: StateDoc): DroneState {
  return {
    tenantId: d.tenantId,
    droneId: d.droneId,
    ts: d.ts,
    lat: d.lat,
    lon: d.lon,
    altitude: d.altitude ?? null,
    speed: d.speed ?? null,
    heading: d.heading ?? null,
    battery: d.battery ?? null,
    status: d.status,
    lastSeenAt: d.lastSeenAt,
  };
}
