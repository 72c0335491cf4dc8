import { DRONE_STATUSES, type DroneState, type DroneStatus, type TelemetryPoint } from '../../core/index.js';

/** history columns after (series), in the order of the INSERT parameters and of `track` rows. */
export const HISTORY_COLUMNS = 'ts, lat, lon, altitude, height_agl, speed, vertical_speed, heading, battery, accuracy, status, received_at';
export const STATE_COLUMNS = 'drone_id, tenant_id, ts, lat, lon, altitude, speed, heading, battery, status, last_seen_at';

export const HISTORY_PARAMS = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const WIDTH = 13;

const STATUS_CODE = new Map<DroneStatus, number>(DRONE_STATUSES.map((s, i) => [s, i]));

/** INSERT parameters of many points in one flat array, handed out as multi-row chunks and single rows. */
export class PointRows {
  private readonly values: unknown[] = [];

  add(series: number, p: TelemetryPoint): void {
    this.values.push(...historyParams(series, p));
  }

  /** Consecutive full chunks of `rows` rows, as flat parameter arrays. */
  *chunks(rows: number): Generator<unknown[]> {
    const size = rows * WIDTH;
    for (let at = 0; at + size <= this.values.length; at += size) yield this.values.slice(at, at + size);
  }

  /** The rows after the last full chunk, one parameter array each. */
  *rest(rows: number): Generator<unknown[]> {
    const size = rows * WIDTH;
    for (let at = Math.floor(this.values.length / size) * size; at < this.values.length; at += WIDTH)
      yield this.values.slice(at, at + WIDTH);
  }
}

/** The INSERT parameters of one point, after its series id. */
export function historyParams(series: number, p: TelemetryPoint): unknown[] {
  return [
    series,
    p.ts,
    p.lat,
    p.lon,
    p.altitude ?? null,
    p.heightAgl ?? null,
    p.speed ?? null,
    p.verticalSpeed ?? null,
    p.heading ?? null,
    p.battery ?? null,
    p.accuracy ?? null,
    STATUS_CODE.get(p.status) ?? STATUS_CODE.get('unknown')!,
    p.receivedAt,
  ];
}

type HistoryRow = [
  number,
  number,
  number,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
  number,
  number,
];

/** A raw `track` row back into the point it was; absent optional fields stay absent. */
export function pointFromRow(tenantId: string, droneId: string, r: HistoryRow): TelemetryPoint {
  const p: TelemetryPoint = {
    tenantId,
    droneId,
    ts: r[0],
    lat: r[1],
    lon: r[2],
    status: DRONE_STATUSES[r[10]] ?? 'unknown',
    receivedAt: r[11],
  };
  if (r[3] !== null) p.altitude = r[3];
  if (r[4] !== null) p.heightAgl = r[4];
  if (r[5] !== null) p.speed = r[5];
  if (r[6] !== null) p.verticalSpeed = r[6];
  if (r[7] !== null) p.heading = r[7];
  if (r[8] !== null) p.battery = r[8];
  if (r[9] !== null) p.accuracy = r[9];
  return p;
}

export function stateParams(s: DroneState): unknown[] {
  return [s.droneId, s.tenantId, s.ts, s.lat, s.lon, s.altitude, s.speed, s.heading, s.battery, s.status, s.lastSeenAt];
}

export interface StateRow {
  drone_id: string;
  tenant_id: string;
  ts: number;
  lat: number;
  lon: number;
  altitude: number | null;
  speed: number | null;
  heading: number | null;
  battery: number | null;
  status: DroneStatus;
  last_seen_at: number;
}

export function stateFromRow(r: StateRow): DroneState {
  return {
    tenantId: r.tenant_id,
    droneId: r.drone_id,
    ts: r.ts,
    lat: r.lat,
    lon: r.lon,
    altitude: r.altitude,
    speed: r.speed,
    heading: r.heading,
    battery: r.battery,
    status: r.status,
    lastSeenAt: r.last_seen_at,
  };
}
