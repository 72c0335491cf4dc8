import { DRONE_STATUSES, parseIsoWithOffset, type DroneStatus, type OptionalPointField, type TelemetryPoint } from '../core/index.js';

/** A point as validated from the request, before it gets its tenant, drone and receive time. */
export type ValidPoint = Omit<TelemetryPoint, 'tenantId' | 'droneId' | 'receivedAt'> & { droneId?: string };

export const MAX_FUTURE_MS = 5 * 60 * 1000;

interface Range {
  min: number;
  max: number;
  /** max is exclusive (heading < 360). */
  maxExclusive?: boolean;
  unit: string;
}

const RANGES: Record<'lat' | 'lon' | OptionalPointField, Range> = {
  lat: { min: -90, max: 90, unit: 'degrees' },
  lon: { min: -180, max: 180, unit: 'degrees' },
  altitude: { min: -500, max: 20000, unit: 'metres' },
  heightAgl: { min: -100, max: 20000, unit: 'metres' },
  speed: { min: 0, max: 200, unit: 'm/s' },
  verticalSpeed: { min: -100, max: 100, unit: 'm/s' },
  heading: { min: 0, max: 360, maxExclusive: true, unit: 'degrees' },
  battery: { min: 0, max: 100, unit: 'percent' },
  accuracy: { min: 0, max: 10000, unit: 'metres' },
};
const OPTIONAL: OptionalPointField[] = ['altitude', 'heightAgl', 'speed', 'verticalSpeed', 'heading', 'battery', 'accuracy'];
const KNOWN = new Set<string>(['timestamp', 'lat', 'lon', 'status', 'droneId', ...OPTIONAL]);

/**
 * Validates one point strictly (no conversion: "12" is not a number) and returns either the
 * point or every problem found, each naming the field and the rule. Hand-written rather than
 * class-validator because ingest is the hot path (1000-point batches).
 */
export function validatePoint(input: unknown, now: number): ValidPoint | string[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return ['a point must be a JSON object'];
  }
  const raw = input as Record<string, unknown>;
  const errors: string[] = [];
  for (const key of Object.keys(raw)) {
    if (!KNOWN.has(key)) errors.push(`property ${key} should not exist`);
  }

  const ts = parseTimestamp(raw.timestamp, now, errors);
  const lat = number('lat', raw.lat, errors, true);
  const lon = number('lon', raw.lon, errors, true);
  const point: ValidPoint = { ts: ts ?? 0, lat: lat ?? 0, lon: lon ?? 0, status: 'unknown' };
  for (const field of OPTIONAL) {
    const value = number(field, raw[field], errors, false);
    if (value !== undefined) point[field] = value;
  }
  if (raw.status !== undefined) {
    if (typeof raw.status === 'string' && (DRONE_STATUSES as readonly string[]).includes(raw.status)) {
      point.status = raw.status as DroneStatus;
    } else {
      errors.push(`status must be one of ${DRONE_STATUSES.join(', ')}`);
    }
  }
  if (raw.droneId !== undefined) {
    if (typeof raw.droneId === 'string') point.droneId = raw.droneId;
    else errors.push('droneId must be a string');
  }
  return errors.length > 0 ? errors : point;
}

function number(field: keyof typeof RANGES, value: unknown, errors: string[], required: boolean): number | undefined {
  if (value === undefined) {
    if (required) errors.push(`${field} is required`);
    return undefined;
  }
  const r = RANGES[field];
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= r.min && (r.maxExclusive ? value < r.max : value <= r.max);
  if (!ok) {
    const range = r.maxExclusive ? `>= ${r.min} and < ${r.max}` : `between ${r.min} and ${r.max}`;
    errors.push(`${field} must be a number ${range} (${r.unit})`);
    return undefined;
  }
  return value as number;
}

function parseTimestamp(value: unknown, now: number, errors: string[]): number | undefined {
  if (value === undefined) {
    errors.push('timestamp is required');
    return undefined;
  }
  let ts: number;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      errors.push('timestamp must be epoch milliseconds (a non-negative whole number) or an ISO-8601 string with offset');
      return undefined;
    }
    ts = value;
  } else if (typeof value === 'string' && parseIsoWithOffset(value) !== null) {
    ts = parseIsoWithOffset(value)!;
  } else {
    errors.push('timestamp must be an ISO-8601 date-time with offset (e.g. 2025-01-01T12:00:00Z) or epoch milliseconds');
    return undefined;
  }
  if (ts > now + MAX_FUTURE_MS) {
    errors.push('timestamp must not be more than 5 minutes in the future');
    return undefined;
  }
  return ts;
}
