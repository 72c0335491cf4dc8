import type { BBox } from '../../core/index.js';

/** Redis GEO stores Web Mercator geohashes: GEOADD refuses latitudes beyond this. */
export const GEO_MAX_LAT = 85.05112878;

/** The Earth radius Redis measures GEO distances with, in metres. */
const REDIS_EARTH_RADIUS_M = 6372797.560856;

/** Relative and absolute slack: geohash rounding (< 1 m) and float error must never drop an edge drone. */
const RELATIVE_MARGIN = 1.01;
const ABSOLUTE_MARGIN_M = 100;

/**
 * Boxes wider than this (in longitude) are answered by scanning the tenant's hash: BYBOX is
 * centred, so it cannot describe such a box well, and the scan costs about the same there.
 */
export const MAX_GEO_LON_SPAN = 170;

export function isGeoIndexable(lon: number, lat: number): boolean {
  return lon >= -180 && lon <= 180 && lat >= -GEO_MAX_LAT && lat <= GEO_MAX_LAT;
}

/** A GEOSEARCH FROMLONLAT … BYBOX … m query covering a lon/lat box. */
export interface GeoBoxQuery {
  lon: number;
  lat: number;
  widthM: number;
  heightM: number;
}

export type BoxSearchPlan =
  /** `geo` is null when the box lies wholly beyond GEO_MAX_LAT; `sideSet` when drones GEO cannot hold may match. */
  { kind: 'geo'; geo: GeoBoxQuery | null; sideSet: boolean } | { kind: 'scan' };

export function planBoxSearch(box: BBox): BoxSearchPlan {
  if (box.maxLon - box.minLon > MAX_GEO_LON_SPAN) return { kind: 'scan' };
  const sideSet = box.maxLat > GEO_MAX_LAT || box.minLat < -GEO_MAX_LAT;
  const minLat = Math.max(box.minLat, -GEO_MAX_LAT);
  const maxLat = Math.min(box.maxLat, GEO_MAX_LAT);
  if (minLat > maxLat) return { kind: 'geo', geo: null, sideSet };
  return { kind: 'geo', geo: geoBoxQuery({ minLon: box.minLon, maxLon: box.maxLon, minLat, maxLat }), sideSet };
}

/**
 * Redis keeps a point when |lat - centreLat| <= height/2 (metres along a meridian) and the
 * great-circle distance from the point to the centre's longitude, along the point's own latitude,
 * is <= width/2. That distance never exceeds the arc along the parallel, R·cos(lat)·Δlon, which is
 * largest at the latitude nearest the equator; sizing the width there covers the whole box.
 */
export function geoBoxQuery(box: BBox): GeoBoxQuery {
  const rad = Math.PI / 180;
  const nearestEquator = box.minLat <= 0 && box.maxLat >= 0 ? 0 : Math.min(Math.abs(box.minLat), Math.abs(box.maxLat));
  const halfLon = ((box.maxLon - box.minLon) / 2) * rad;
  const halfLat = ((box.maxLat - box.minLat) / 2) * rad;
  const halfWidth = REDIS_EARTH_RADIUS_M * Math.cos(nearestEquator * rad) * halfLon;
  const halfHeight = REDIS_EARTH_RADIUS_M * halfLat;
  return {
    lon: (box.minLon + box.maxLon) / 2,
    lat: (box.minLat + box.maxLat) / 2,
    widthM: 2 * (halfWidth * RELATIVE_MARGIN + ABSOLUTE_MARGIN_M),
    heightM: 2 * (halfHeight * RELATIVE_MARGIN + ABSOLUTE_MARGIN_M),
  };
}
