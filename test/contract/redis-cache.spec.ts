import { Redis } from 'ioredis';
import { RedisLiveMapCache } from '../../libs/cache/adapters/index.js';
import { newId, WORLD } from '../../libs/core/index.js';
import { describeWith, testRedisUrl, uniqueName } from '../support/real-servers.js';
import { liveDrone, liveMapCacheContract } from './cache.contract.js';

describeWith(testRedisUrl)('RedisLiveMapCache', () => {
  const url = testRedisUrl as string;

  liveMapCacheContract(() => new RedisLiveMapCache(url, `${uniqueName('cache')}:`));

  describe('on a shared connection', () => {
    let redis: Redis;
    beforeAll(() => {
      redis = new Redis(url);
    });
    afterAll(async () => {
      await redis.quit();
    });

    it('instances with the same prefix share drones; close leaves a borrowed connection open', async () => {
      const prefix = `${uniqueName('cache')}:`;
      const [a, b] = [new RedisLiveMapCache(redis, prefix), new RedisLiveMapCache(url, prefix)];
      const tenant = newId();
      const d = liveDrone(tenant, newId(), 1, 2);
      await a.putDrones([d]);
      expect(await b.getDrones(tenant, [d.droneId])).toEqual([d]);
      await a.close();
      await b.close();
      expect(await redis.ping()).toBe('PONG');
    });

    it('keeps all of a batch across tenants and script chunks, and searches past the HMGET chunking', async () => {
      const prefix = `${uniqueName('cache')}:`;
      const cache = new RedisLiveMapCache(redis, prefix);
      const [t1, t2] = [newId(), newId()];
      const batch = Array.from({ length: 2400 }, (_, i) =>
        liveDrone(i % 3 ? t1 : t2, newId(), (i % 100) * 0.01, Math.floor(i / 100) * 0.01),
      );
      await cache.putDrones(batch);
      const inT1 = batch.filter((d) => d.tenantId === t1).length;
      const found = await cache.search(t1, { minLon: 0, minLat: 0, maxLon: 1, maxLat: 1 }, 5000);
      expect(found.drones).toHaveLength(inT1);
      expect((await cache.search(t1, WORLD, 5000)).drones).toHaveLength(inT1);
      expect((await cache.search(t2, { minLon: 0, minLat: 0, maxLon: 1, maxLat: 1 }, 5000)).drones).toHaveLength(2400 - inT1);
      // Keys carry the prefix and the tenant's hash tag.
      expect(await redis.exists(`${prefix}live:{${t1}}:geo`, `${prefix}live:{${t1}}:drones`)).toBe(2);
    });

    it('stores JSON values with a TTL under the prefix', async () => {
      const prefix = `${uniqueName('cache')}:`;
      const cache = new RedisLiveMapCache(redis, prefix);
      await cache.setJson('k', { a: 1 }, 30);
      const ttl = await redis.pttl(`${prefix}json:k`);
      expect(ttl).toBeGreaterThan(29_000);
      expect(ttl).toBeLessThanOrEqual(30_000);
    });
  });

  it('fails with an UnavailableError (a 503 at the edge) when Redis is unreachable', async () => {
    const cache = new RedisLiveMapCache(
      new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null }),
    );
    await expect(cache.ping()).rejects.toMatchObject({ code: 'unavailable' });
    await expect(cache.search(newId(), WORLD, 10)).rejects.toMatchObject({ code: 'unavailable' });
  });
});
