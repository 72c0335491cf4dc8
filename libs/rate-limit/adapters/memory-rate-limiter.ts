import type { RateLimiter, RateLimitResult } from '../rate-limiter.port.js';

interface Bucket {
  count: number;
  resetAt: number;
}

export interface MemoryRateLimiterOptions {
  /** Live buckets kept at most; beyond it the oldest windows are dropped (their counts restart). */
  maxBuckets?: number;
  /** How often expired buckets are swept, in ms. */
  sweepIntervalMs?: number;
}

/**
 * Fixed-window counters for one process. Memory stays bounded: expired buckets are swept on a
 * schedule driven by the hits themselves (no timer to clean up), and a hard cap drops the oldest.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxBuckets: number;
  private readonly sweepIntervalMs: number;
  private nextSweepAt = 0;

  constructor(options: MemoryRateLimiterOptions = {}) {
    this.maxBuckets = options.maxBuckets ?? 100_000;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 10_000;
  }

  async hit(bucket: string, max: number, windowSeconds: number): Promise<RateLimitResult> {
    if (max <= 0) return { allowed: true, retryAfterSeconds: 0, remaining: 0 };
    const now = Date.now();
    if (now >= this.nextSweepAt || this.buckets.size >= this.maxBuckets) this.sweep(now);

    let b = this.buckets.get(bucket);
    if (!b || b.resetAt <= now) {
      // Re-insert so Map order follows window start: the cap drops the oldest windows first.
      this.buckets.delete(bucket);
      b = { count: 0, resetAt: now + Math.max(1, Math.round(windowSeconds * 1000)) };
      this.buckets.set(bucket, b);
    }
    b.count++;
    if (b.count <= max) return { allowed: true, retryAfterSeconds: 0, remaining: max - b.count };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((b.resetAt - now) / 1000)), remaining: 0 };
  }

  /** Buckets held in memory (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.buckets.clear();
  }

  private sweep(now: number): void {
    this.nextSweepAt = now + this.sweepIntervalMs;
    for (const [key, b] of this.buckets) if (b.resetAt <= now) this.buckets.delete(key);
    // Still full of live windows: make room by dropping the oldest.
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < this.maxBuckets) break;
      this.buckets.delete(key);
    }
  }
}
