export const RATE_LIMITER = Symbol('RateLimiter');

export interface RateLimitResult {
  allowed: boolean;
  /** Whole seconds until the window resets when refused (at least 1); 0 when allowed. */
  retryAfterSeconds: number;
  /** Hits still allowed in the current window. */
  remaining: number;
}

/**
 * Request counting per bucket (a device key, a user, a login name), shared by every process
 * that uses the same backing store.
 *
 * Fixed window: a bucket's window starts at its first hit and lasts `windowSeconds`; up to `max`
 * hits pass in it, later ones are refused until it ends. Cheap (one counter per bucket) at the cost
 * of allowing up to 2 × max across a window boundary.
 */
export interface RateLimiter {
  /**
   * Counts one hit. `max <= 0` means no limit (always allowed, nothing counted).
   * `windowSeconds` may be fractional. The window of a bucket is fixed by the hit that opened it.
   */
  hit(bucket: string, max: number, windowSeconds: number): Promise<RateLimitResult>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
