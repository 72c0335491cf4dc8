import type { FlightPoint } from '../../types';

/** Values of the drone at one instant of the replay. */
export interface Sample {
  t: number;
  lon: number;
  lat: number;
  altitude: number | null;
  heightAgl: number | null;
  speed: number | null;
  battery: number | null;
  heading: number | null;
  status: string;
  /** Index of the last point at or before t. */
  index: number;
}

type Series = Float64Array;

/**
 * A track in typed arrays, sampled at any time in O(log n): binary search for the surrounding
 * points, then linear interpolation. Missing values are NaN and stay missing (no invented data).
 */
export class TrackSampler {
  readonly times: Series;
  readonly lon: Series;
  readonly lat: Series;
  readonly altitude: Series;
  readonly heightAgl: Series;
  readonly speed: Series;
  readonly battery: Series;
  readonly heading: Series;
  private readonly status: string[];

  constructor(points: FlightPoint[]) {
    const n = points.length;
    const col = (pick: (p: FlightPoint) => number | undefined) => {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++) a[i] = pick(points[i]) ?? NaN;
      return a;
    };
    this.times = col((p) => Date.parse(p.timestamp));
    this.lon = col((p) => p.lon);
    this.lat = col((p) => p.lat);
    this.altitude = col((p) => p.altitude);
    this.heightAgl = col((p) => p.heightAgl);
    this.speed = col((p) => p.speed);
    this.battery = col((p) => p.battery);
    this.heading = col((p) => p.heading);
    this.status = points.map((p) => p.status);
  }

  get length(): number {
    return this.times.length;
  }
  get start(): number {
    return this.times[0];
  }
  get end(): number {
    return this.times[this.times.length - 1];
  }

  /** Index of the last point with time <= t (0 before the start). */
  indexAt(t: number): number {
    let lo = 0;
    let hi = this.times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.times[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  sample(t: number): Sample {
    const i = this.indexAt(t);
    const j = Math.min(i + 1, this.length - 1);
    const span = this.times[j] - this.times[i];
    const f = span > 0 ? Math.min(1, Math.max(0, (t - this.times[i]) / span)) : 0;
    const lerp = (a: Series) => {
      const x = a[i];
      const y = a[j];
      if (Number.isNaN(x)) return null;
      return Number.isNaN(y) ? x : x + (y - x) * f;
    };
    return {
      t,
      lon: lerp(this.lon)!,
      lat: lerp(this.lat)!,
      altitude: lerp(this.altitude),
      heightAgl: lerp(this.heightAgl),
      speed: lerp(this.speed),
      battery: lerp(this.battery),
      heading: Number.isNaN(this.heading[i]) ? null : this.heading[i],
      status: this.status[i],
      index: i,
    };
  }
}
