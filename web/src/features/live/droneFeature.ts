import type { BBox, DroneFeature, DroneProps, DroneState } from '../../types';
import { STATUSES } from '../../types';

/** The feature's `timestamp` in ms (NaN when missing). */
export const featureTime = (f: DroneFeature): number =>
  typeof f.properties.timestamp === 'string' ? Date.parse(f.properties.timestamp) : NaN;

/** Turns anything that looks like a drone Feature into one with `properties.id` set; null otherwise. */
export function normaliseFeature(raw: unknown): DroneFeature | null {
  const f = raw as DroneFeature | null;
  if (!f || f.type !== 'Feature' || f.geometry?.type !== 'Point') return null;
  const c = f.geometry.coordinates;
  if (!Array.isArray(c) || typeof c[0] !== 'number' || typeof c[1] !== 'number') return null;
  const p = (f.properties ?? {}) as DroneProps;
  const id = f.id ?? p.id;
  if (id == null) return null;
  p.id = String(id);
  f.id = p.id;
  if (!STATUSES.includes(p.status)) p.status = 'unknown';
  if (typeof p.lowBattery !== 'boolean') p.lowBattery = typeof p.battery === 'number' && p.battery < 20;
  if (typeof p.online !== 'boolean') p.online = true;
  f.properties = p;
  return f;
}

export function featureFromState(id: string, name: string, s: DroneState): DroneFeature {
  return normaliseFeature({
    type: 'Feature',
    id,
    geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
    properties: { ...s, id, name },
  })!;
}

export function inBBox(f: DroneFeature, b: BBox): boolean {
  const [x, y] = f.geometry.coordinates;
  return x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];
}

/** The map only needs what its layers style on: a slim copy keeps the worker messages small. */
export function toMapFeature(f: DroneFeature): DroneFeature {
  const p = f.properties;
  return {
    type: 'Feature',
    id: p.id,
    geometry: f.geometry,
    properties: {
      id: p.id,
      status: p.status,
      online: p.online,
      lowBattery: p.lowBattery,
      heading: typeof p.heading === 'number' ? p.heading : null,
    },
  };
}
