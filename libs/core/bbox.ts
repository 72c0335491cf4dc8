/** A lon/lat rectangle; min <= max on both axes (no antimeridian crossing). */
export interface BBox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

export const WORLD: BBox = { minLon: -180, minLat: -90, maxLon: 180, maxLat: 90 };

export function bboxContains(b: BBox, lon: number, lat: number): boolean {
  return lon >= b.minLon && lon <= b.maxLon && lat >= b.minLat && lat <= b.maxLat;
}

/** Parses `minLon,minLat,maxLon,maxLat`; returns an error message instead of throwing. */
export function parseBBox(raw: string): BBox | string {
  const parts = raw.split(',');
  if (parts.length !== 4) return 'bbox must be four comma-separated numbers: minLon,minLat,maxLon,maxLat';
  const nums = parts.map((s) => (/^\s*-?\d+(\.\d+)?\s*$/.test(s) ? Number(s) : NaN));
  if (nums.some((n) => !Number.isFinite(n))) return 'bbox values must be decimal numbers';
  const [minLon, minLat, maxLon, maxLat] = nums;
  if (minLon < -180 || maxLon > 180) return 'bbox longitudes must be between -180 and 180';
  if (minLat < -90 || maxLat > 90) return 'bbox latitudes must be between -90 and 90';
  if (minLon > maxLon || minLat > maxLat) return 'bbox min values must not exceed max values';
  return { minLon, minLat, maxLon, maxLat };
}
