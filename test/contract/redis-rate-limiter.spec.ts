import { Redis } from 'ioredis';
import { RedisRateLimiter } from '../../libs/rate-limit/adapters/index.js';
import { describeWith, testRedisUrl, uniqueName } from '../support/real-servers.js';
import { rateLimiterContract } from './rate-limiter.contract.js';

describeWith(testRedisUrl)('RedisRateLimiter', () => {
  const url = testRedisUrl as string;

  rateLimiterContract(() => {
    const prefix = `${uniqueName('rl')}:`;
    return { limiter: new RedisRateLimiter(url, prefix), sibling: new RedisRateLimiter(url, prefix) };
  });

  it('keeps counters under the prefix with the window as their expiry', async () => {
    const redis = new Redis(url);
    const prefix = `${uniqueName('rl')}:`;
    const limiter = new RedisRateLimiter(redis, prefix);
    await limiter.hit('user:1', 10, 30);
    await limiter.hit('user:1', 10, 30);
    expect(await redis.get(`${prefix}rl:user:1`)).toBe('2');
    const ttl = await redis.pttl(`${prefix}rl:user:1`);
    expect(ttl).toBeGreaterThan(29_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
    // A counter that lost its expiry gets one back instead of refusing forever.
    await redis.persist(`${prefix}rl:user:1`);
    await limiter.hit('user:1', 10, 30);
    expect(await redis.pttl(`${prefix}rl:user:1`)).toBeGreaterThan(29_000);
    await limiter.close();
    await redis.quit();
  });

  it('fails with an UnavailableError (a 503 at the edge) when Redis is unreachable', async () => {
    const limiter = new RedisRateLimiter(
      new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null }),
    );
    await expect(limiter.hit('x', 1, 1)).rejects.toMatchObject({ code: 'unavailable' });
  });
});
