import type { BBox } from '../../types';

/** Clamps a viewport to what the API accepts: lon −180..180, lat −90..90, min ≤ max (no antimeridian crossing). */
export function clampBBox(w: number, s: number, e: number, n: number): BBox {
  const r = (v: number) => Math.round(v * 1e5) / 1e5;
  let west = w;
  let east = e;
  if (!(east - west < 360)) {
    west = -180;
    east = 180;
  } else {
    const shift = Math.floor((west + 180) / 360) * 360; // bring the west edge into [-180, 180)
    west -= shift;
    east -= shift;
    if (east > 180) {
      // crosses the antimeridian: the API takes one box, so ask for the whole longitude range
      west = -180;
      east = 180;
    }
  }
  const south = Math.max(-90, Math.min(90, s));
  const north = Math.max(-90, Math.min(90, n));
  return [r(Math.max(-180, west)), r(Math.min(south, north)), r(Math.min(180, east)), r(Math.max(south, north))];
}

export const area = (b: BBox): number => Math.max(1e-9, (b[2] - b[0]) * (b[3] - b[1]));

export const contains = (outer: BBox, inner: BBox): boolean =>
  outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];

/** The box grown by `f` of its size on every side, clamped. */
export function pad(b: BBox, f: number): BBox {
  const dx = (b[2] - b[0]) * f;
  const dy = (b[3] - b[1]) * f;
  return clampBBox(b[0] - dx, b[1] - dy, b[2] + dx, b[3] + dy);
}
