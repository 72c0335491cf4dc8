import { MemoryRateLimiter } from '../../libs/rate-limit/adapters/index.js';
import { rateLimiterContract } from './rate-limiter.contract.js';

describe('MemoryRateLimiter', () => {
  rateLimiterContract(() => ({ limiter: new MemoryRateLimiter() }));

  it('keeps memory bounded: expired buckets are swept, the cap drops the oldest windows', async () => {
    const limiter = new MemoryRateLimiter({ maxBuckets: 50, sweepIntervalMs: 0 });
    for (let i = 0; i < 40; i++) await limiter.hit(`short:${i}`, 1, 0.05);
    await new Promise((r) => setTimeout(r, 80));
    await limiter.hit('trigger', 1, 60);
    expect(limiter.size).toBe(1);

    for (let i = 0; i < 200; i++) await limiter.hit(`live:${i}`, 1, 60);
    expect(limiter.size).toBeLessThanOrEqual(50);
    // The newest windows survive and still count.
    expect((await limiter.hit('live:199', 1, 60)).allowed).toBe(false);
  });
});
