import { jest } from '@jest/globals';
import { BullTelemetryQueue, type BullTelemetryQueueOptions } from '../../libs/queue/adapters/index.js';
import { describeWith, testRedisUrl, uniqueName } from '../support/real-servers.js';
import { jobOf, queueContract, waitFor } from './queue.contract.js';

/** Short locks and stall checks so a dead worker's job comes back in about a second. */
const fast = (name: string): BullTelemetryQueueOptions => ({
  redisUrl: testRedisUrl!,
  name,
  prefix: 'dt_test',
  lockDurationMs: 800,
  stalledIntervalMs: 300,
  retryDelayMs: 30,
});

describeWith(testRedisUrl)('BullTelemetryQueue', () => {
  queueContract('bull on redis', {
    durable: true,
    storage: () => {
      const name = uniqueName('telemetry');
      return { open: async () => new BullTelemetryQueue(fast(name)) };
    },
  });

  it('sends the enqueues of one tick in a single addBulk', async () => {
    const q = new BullTelemetryQueue(fast(uniqueName('bulk')));
    try {
      const addBulk = jest.spyOn(q.queue, 'addBulk');
      await Promise.all(Array.from({ length: 50 }, (_, i) => q.enqueue(jobOf(i))));
      expect(addBulk).toHaveBeenCalledTimes(1);
      expect(await q.depth()).toBe(50);
    } finally {
      await q.close();
    }
  });

  it('runs again a job whose worker died mid-job', async () => {
    const name = uniqueName('stalled');
    const dying = new BullTelemetryQueue(fast(name));
    let startedInDying = 0;
    await dying.consume(async () => {
      startedInDying++;
      await new Promise(() => {}); // never acks
    });
    await dying.enqueue(jobOf(9));
    await waitFor(() => startedInDying === 1, 5_000, 'job start');
    // Gone without a word: no more lock renewals, connections dropped (what SIGKILL does).
    await dying.queue.close(true);

    const survivor = new BullTelemetryQueue(fast(name));
    try {
      const received: number[] = [];
      await survivor.consume(async (job) => void received.push(job.points[0].ts));
      await waitFor(() => received.length === 1, 10_000, 'stalled job redelivery');
      expect(received).toEqual([jobOf(9).points[0].ts]);
      await waitFor(async () => (await survivor.depth()) === 0, 5_000, 'empty queue');
    } finally {
      await survivor.close();
    }
  });

  it('pings Redis', async () => {
    const q = new BullTelemetryQueue(fast(uniqueName('ping')));
    try {
      await expect(q.ping()).resolves.toBeUndefined();
    } finally {
      await q.close();
    }
  });
});
