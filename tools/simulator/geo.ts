/** Small spherical-earth helpers; at city scale their error is far below GPS noise. */

// Local bindings: global lookups are slow inside vm contexts (Jest), and this is the hot path.
const { PI, asin, atan2, cos, min, sin, sqrt } = Math;

export interface LatLon {
  lat: number;
  lon: number;
}

export const EARTH_RADIUS_M = 6_371_008.8;
const RAD = PI / 180;

/** Great-circle distance in metres. */
export function distanceM(a: LatLon, b: LatLon): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h = sin(dLat / 2) ** 2 + cos(a.lat * RAD) * cos(b.lat * RAD) * sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * asin(min(1, sqrt(h)));
}

/** Initial bearing from a to b, degrees clockwise from true north, in [0, 360). */
export function bearingDeg(a: LatLon, b: LatLon): number {
  const y = sin((b.lon - a.lon) * RAD) * cos(b.lat * RAD);
  const x = cos(a.lat * RAD) * sin(b.lat * RAD) - sin(a.lat * RAD) * cos(b.lat * RAD) * cos((b.lon - a.lon) * RAD);
  return normalizeHeading(atan2(y, x) / RAD);
}

/** The point `distance` metres from `from` along `bearing` degrees. */
export function destination(from: LatLon, bearing: number, distance: number): LatLon {
  const d = distance / EARTH_RADIUS_M;
  const th = bearing * RAD;
  const la1 = from.lat * RAD;
  const lo1 = from.lon * RAD;
  const la2 = asin(sin(la1) * cos(d) + cos(la1) * sin(d) * cos(th));
  const lo2 = lo1 + atan2(sin(th) * sin(d) * cos(la1), cos(d) - sin(la1) * sin(la2));
  return { lat: la2 / RAD, lon: normalizeLon(lo2 / RAD) };
}

/** Moves a point by metres east/north (flat approximation, fine for jitter of a few metres). */
export function offsetM(p: LatLon, east: number, north: number): LatLon {
  return {
    lat: p.lat + north / (EARTH_RADIUS_M * RAD),
    lon: p.lon + east / (EARTH_RADIUS_M * RAD * cos(p.lat * RAD)),
  };
}

/** Linear interpolation between two nearby points (city scale). */
export function lerpLatLon(a: LatLon, b: LatLon, f: number): LatLon {
  return { lat: a.lat + (b.lat - a.lat) * f, lon: a.lon + (b.lon - a.lon) * f };
}

/** Any angle to [0, 360), robust to floating-point edge cases (never returns 360). */
export function normalizeHeading(deg: number): number {
  let h = deg % 360;
  if (h < 0) h += 360;
  if (h >= 360) h -= 360;
  return h;
}

function normalizeLon(lon: number): number {
  return ((((lon + 180) % 360) + 360) % 360) - 180;
}

export function clamp(v: number, min: number, max: number): number {
  return v < min ? min : v > max ? max : v;
}
