import type { RateLimit } from '../config/index.js';
import { RateLimitedError } from '../core/index.js';
import type { RateLimiter } from './rate-limiter.port.js';

/** Counts one request against `bucket`; throws a 429 with Retry-After when over the limit. */
export async function enforceRateLimit(limiter: RateLimiter, bucket: string, limit: RateLimit, who: string): Promise<void> {
  if (limit.max === 0) return;
  const result = await limiter.hit(bucket, limit.max, limit.windowSeconds);
  if (!result.allowed) {
    throw new RateLimitedError(
      result.retryAfterSeconds,
      `rate limit exceeded: at most ${limit.max} requests per ${limit.windowSeconds} s for this ${who}; ` +
        `retry after ${result.retryAfterSeconds} s`,
    );
  }
}
