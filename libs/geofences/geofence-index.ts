import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { lineString } from '@turf/helpers';
import lineIntersect from '@turf/line-intersect';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import RBush from 'rbush';
import type { Geofence } from './geofence.js';

/** What evaluation needs of a point: where it is and how high. */
export interface FixedPosition {
  lon: number;
  lat: number;
  altitude?: number | null;
  heightAgl?: number | null;
}

interface Entry {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  fence: Geofence;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * The active geofences of one tenant in an R-tree (rbush) of their bounding boxes, so judging a
 * point costs the geofences near it, not all of them. Point-in-polygon and segment crossing use
 * Turf. Keep-in geofences are listed apart: a point far from one violates it without geometry.
 */
export class GeofenceIndex {
  private readonly tree = new RBush<Entry>();
  private readonly keepIn: Entry[] = [];
  private readonly names = new Map<string, string>();
  readonly size: number;

  constructor(geofences: Geofence[]) {
    const entries = geofences.filter((g) => g.active).map((fence) => ({ ...boxOf(fence.geometry), fence }));
    this.tree.load(entries.filter((e) => e.fence.rule === 'keep-out'));
    this.keepIn.push(...entries.filter((e) => e.fence.rule === 'keep-in'));
    this.size = entries.length;
    for (const g of geofences) this.names.set(g.id, g.name);
  }

  name(id: string): string {
    return this.names.get(id) ?? id;
  }

  /**
   * Ids of the geofences that `p` violates for this drone. `prev` is the drone's previous fix, for
   * keep-out pass-throughs (neither fix inside, the segment between them crossing the geometry).
   */
  violations(droneId: string, p: FixedPosition, prev: FixedPosition | null): ReadonlySet<string> {
    if (this.size === 0) return NONE;
    const out = new Set<string>();
    const minX = prev ? Math.min(prev.lon, p.lon) : p.lon;
    const maxX = prev ? Math.max(prev.lon, p.lon) : p.lon;
    const minY = prev ? Math.min(prev.lat, p.lat) : p.lat;
    const maxY = prev ? Math.max(prev.lat, p.lat) : p.lat;
    for (const e of this.tree.search({ minX, minY, maxX, maxY })) {
      const fence = e.fence;
      if (!appliesTo(fence, droneId) || !inBand(fence, p)) continue;
      if (contains(e, p) || (prev && !contains(e, prev) && crosses(fence, prev, p))) out.add(fence.id);
    }
    for (const e of this.keepIn) {
      if (!appliesTo(e.fence, droneId)) continue;
      if (!inBand(e.fence, p) || !contains(e, p)) out.add(e.fence.id);
    }
    return out;
  }
}

export function appliesTo(fence: Geofence, droneId: string): boolean {
  return fence.droneIds === null || fence.droneIds.includes(droneId);
}

/** The band compares heightAgl ("agl") or altitude ("wgs84"); a point without that height is inside. */
export function inBand(fence: Geofence, p: FixedPosition): boolean {
  const h = fence.altitudeReference === 'wgs84' ? p.altitude : p.heightAgl;
  if (h === undefined || h === null) return true;
  if (fence.floor !== null && h < fence.floor) return false;
  if (fence.ceiling !== null && h > fence.ceiling) return false;
  return true;
}

function contains(e: Entry, p: FixedPosition): boolean {
  if (p.lon < e.minX || p.lon > e.maxX || p.lat < e.minY || p.lat > e.maxY) return false;
  return booleanPointInPolygon([p.lon, p.lat], e.fence.geometry);
}

function crosses(fence: Geofence, a: FixedPosition, b: FixedPosition): boolean {
  if (a.lon === b.lon && a.lat === b.lat) return false;
  return (
    lineIntersect(
      lineString([
        [a.lon, a.lat],
        [b.lon, b.lat],
      ]),
      fence.geometry,
    ).features.length > 0
  );
}

function boxOf(geometry: Polygon | MultiPolygon): { minX: number; minY: number; maxX: number; maxY: number } {
  const box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  const rings: Position[][] = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
  for (const ring of rings) {
    for (const [x, y] of ring) {
      if (x < box.minX) box.minX = x;
      if (x > box.maxX) box.maxX = x;
      if (y < box.minY) box.minY = y;
      if (y > box.maxY) box.maxY = y;
    }
  }
  return box;
}
