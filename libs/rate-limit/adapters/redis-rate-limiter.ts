import { Redis } from 'ioredis';
import { UnavailableError } from '../../core/index.js';
import type { RateLimiter, RateLimitResult } from '../rate-limiter.port.js';
import { adapterRedis } from '../../redis/index.js';

/**
 * One round trip per hit. The expiry is set by the hit that opens the window (and repaired if a
 * counter somehow has none), so the window is fixed. Returns { count, ms left }.
 */
const HIT_LUA = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { n, ttl }
`;

interface ScriptedRedis extends Redis {
  dtRateLimitHit(key: string, windowMs: number): Promise<[number, number]>;
}

/** Fixed-window counters in Redis: every process using the same Redis and prefix shares the counts. */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: ScriptedRedis;
  /** Only a connection this adapter opened is closed by it. */
  private readonly ownsConnection: boolean;

  constructor(
    redis: string | Redis,
    private readonly prefix = 'dt:',
  ) {
    const { client, owned } = adapterRedis(redis, RedisRateLimiter.name);
    this.ownsConnection = owned;
    client.defineCommand('dtRateLimitHit', { numberOfKeys: 1, lua: HIT_LUA });
    this.redis = client as ScriptedRedis;
  }

  async hit(bucket: string, max: number, windowSeconds: number): Promise<RateLimitResult> {
    if (max <= 0) return { allowed: true, retryAfterSeconds: 0, remaining: 0 };
    const windowMs = Math.max(1, Math.round(windowSeconds * 1000));
    const [count, ttlMs] = await this.call(() => this.redis.dtRateLimitHit(`${this.prefix}rl:${bucket}`, windowMs));
    if (count <= max) return { allowed: true, retryAfterSeconds: 0, remaining: max - count };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)), remaining: 0 };
  }

  async ping(): Promise<void> {
    await this.call(() => this.redis.ping());
  }

  async close(): Promise<void> {
    if (!this.ownsConnection) return;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      // Redis failures become 503s for API users; the cause stays attached for the log.
      throw Object.assign(new UnavailableError(), { cause: e });
    }
  }
}
