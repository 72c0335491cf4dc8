import type { MultiPolygon, Polygon } from 'geojson';
import { isId } from '../core/index.js';
import { ALTITUDE_REFERENCES, GEOFENCE_RULES, type AltitudeReference, type GeofenceRule } from './geofence.js';
import { geometryProblems } from './geofence-geometry.validator.js';

export const HEIGHT_MIN = -500;
export const HEIGHT_MAX = 20_000;
export const MAX_DRONE_IDS = 1000;

/** The writable fields, as validated; absent keys were not given (PATCH). */
export interface GeofenceFields {
  name?: string;
  rule?: GeofenceRule;
  geometry?: Polygon | MultiPolygon;
  floor?: number | null;
  ceiling?: number | null;
  altitudeReference?: AltitudeReference;
  droneIds?: string[] | null;
  active?: boolean;
}

const FIELDS = ['name', 'rule', 'geometry', 'floor', 'ceiling', 'altitudeReference', 'droneIds', 'active'];

/**
 * Checks a POST (all required fields) or PATCH (any subset) body field by field.
 * Returns the fields or the list of problems, each naming its field and rule.
 */
export function validateGeofenceBody(body: unknown, mode: 'create' | 'patch'): { fields: GeofenceFields } | { problems: string[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { problems: ['request body must be a JSON object'] };
  const b = body as Record<string, unknown>;
  const problems: string[] = Object.keys(b)
    .filter((k) => !FIELDS.includes(k))
    .map((k) => `${k} is not a geofence field`);
  const fields: GeofenceFields = {};
  const required = (k: string) => mode === 'create' && b[k] === undefined && void problems.push(`${k} is required`);

  required('name');
  if (b.name !== undefined) {
    if (typeof b.name !== 'string' || b.name.trim().length < 1 || b.name.length > 100)
      problems.push('name must be a string of 1 to 100 characters');
    else fields.name = b.name;
  }
  required('rule');
  if (b.rule !== undefined) {
    if (!GEOFENCE_RULES.includes(b.rule as GeofenceRule)) problems.push('rule must be "keep-out" or "keep-in"');
    else fields.rule = b.rule as GeofenceRule;
  }
  required('geometry');
  if (b.geometry !== undefined) {
    const geometryErrors = geometryProblems(b.geometry);
    if (geometryErrors.length > 0) problems.push(...geometryErrors);
    else fields.geometry = b.geometry as Polygon | MultiPolygon;
  }
  for (const k of ['floor', 'ceiling'] as const) {
    const v = b[k];
    if (v === undefined) continue;
    if (v === null) fields[k] = null;
    else if (typeof v !== 'number' || !Number.isFinite(v) || v < HEIGHT_MIN || v > HEIGHT_MAX) {
      problems.push(`${k} must be a number of metres from ${HEIGHT_MIN} to ${HEIGHT_MAX}, or null`);
    } else fields[k] = v;
  }
  if (b.altitudeReference !== undefined) {
    if (!ALTITUDE_REFERENCES.includes(b.altitudeReference as AltitudeReference))
      problems.push('altitudeReference must be "agl" or "wgs84"');
    else fields.altitudeReference = b.altitudeReference as AltitudeReference;
  }
  if (b.droneIds !== undefined) {
    const ids = b.droneIds;
    if (ids === null) fields.droneIds = null;
    else if (!Array.isArray(ids) || ids.length < 1 || ids.length > MAX_DRONE_IDS) {
      problems.push(`droneIds must be an array of 1 to ${MAX_DRONE_IDS} drone ids, or null for every drone`);
    } else if (!ids.every(isId)) problems.push('droneIds must contain only drone ids (UUIDs)');
    else fields.droneIds = [...new Set(ids as string[])];
  }
  if (b.active !== undefined) {
    if (typeof b.active !== 'boolean') problems.push('active must be true or false');
    else fields.active = b.active;
  }
  return problems.length > 0 ? { problems } : { fields };
}

/** floor < ceiling, judged on the geofence as it will be stored. */
export function bandProblem(floor: number | null, ceiling: number | null): string | null {
  return floor !== null && ceiling !== null && floor >= ceiling ? 'floor must be lower than ceiling' : null;
}
