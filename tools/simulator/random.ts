/**
 * Deterministic randomness for the simulator: the same seed gives the same fleet, missions and
 * noise on every run, so the flight model can be unit-tested and demos are reproducible.
 */

// Local bindings: global lookups are slow inside vm contexts (Jest), and this is the hot path.
const { PI, cos, floor, imul } = Math;

/** 32-bit FNV-1a-style mix of any number of integers/strings into one unsigned seed. */
export function hashSeed(...parts: (number | string)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = typeof part === 'number' ? `${part}` : part;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = imul(h, 0x01000193);
    }
    h ^= 0x7c; // separator, so ("ab","c") differs from ("a","bc")
    h = imul(h, 0x01000193);
  }
  return mix32(h);
}

/** A final avalanche step (from murmur3) so close inputs give unrelated outputs. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A small seeded PRNG (mulberry32) with the helpers the model needs. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [min, max). */
  range(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[floor(this.next() * items.length)];
  }
}

/** Hash of (seed, channel, k) as a number in [-1, 1]. */
function lattice(seed: number, channel: number, k: number): number {
  return (hashSeed(seed, channel, k) / 4294967295) * 2 - 1;
}

/**
 * Smooth value noise in [-1, 1] as a pure function of `x` (e.g. seconds): random values at whole
 * numbers, cosine-interpolated in between. Used for GPS jitter, gusts and sensor noise.
 */
export function smoothNoise(seed: number, channel: number, x: number): number {
  const k = floor(x);
  const f = x - k;
  const w = (1 - cos(f * PI)) / 2;
  return lattice(seed, channel, k) * (1 - w) + lattice(seed, channel, k + 1) * w;
}
