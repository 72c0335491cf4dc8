import { RedisRoleEvents } from '../../libs/events/adapters/index.js';
import { describeWith, testRedisUrl, uniqueName } from '../support/real-servers.js';
import { eventsContract } from './events.contract.js';
import { sleep, waitFor } from './queue.contract.js';

describeWith(testRedisUrl)('RedisRoleEvents', () => {
  eventsContract('redis pub/sub (Nest transport)', () => {
    const prefix = uniqueName('dt_test');
    return { open: async () => new RedisRoleEvents({ redisUrl: testRedisUrl!, prefix }) };
  });

  it('keeps deployments with different prefixes apart', async () => {
    const mine = new RedisRoleEvents({ redisUrl: testRedisUrl!, prefix: uniqueName('dt_a') });
    const theirs = new RedisRoleEvents({ redisUrl: testRedisUrl!, prefix: uniqueName('dt_b') });
    try {
      const got: string[] = [];
      await mine.subscribe((e) => void got.push(`mine:${e.type}`));
      await theirs.subscribe((e) => void got.push(`theirs:${e.type}`));
      await mine.publish({ type: 'drone.invalidated', tenantId: 't', droneId: 'd' });
      await waitFor(() => got.length === 1, 5_000, 'delivery');
      await sleep(100);
      expect(got).toEqual(['mine:drone.invalidated']);
    } finally {
      await Promise.all([mine.close(), theirs.close()]);
    }
  });

  it('fails to subscribe when Redis is unreachable, and closes cleanly', async () => {
    const events = new RedisRoleEvents({ redisUrl: 'redis://127.0.0.1:1', prefix: uniqueName('dt_x') });
    await expect(events.subscribe(() => undefined)).rejects.toBeDefined();
    await expect(events.ping()).rejects.toBeDefined();
    await events.close();
  });
});
