import { randomUUID } from 'node:crypto';
import type { RateLimiter } from '../../libs/rate-limit/rate-limiter.port.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RateLimiterUnderTest {
  limiter: RateLimiter;
  /** A second instance over the same counts, for adapters shared between processes. */
  sibling?: RateLimiter;
}

/** The behaviour every RateLimiter adapter must show; the suite closes what `make` returns. */
export function rateLimiterContract(make: () => RateLimiterUnderTest | Promise<RateLimiterUnderTest>): void {
  let under: RateLimiterUnderTest;
  let limiter: RateLimiter;
  const bucket = () => `test:${randomUUID()}`;

  beforeEach(async () => {
    under = await make();
    limiter = under.limiter;
  });
  afterEach(async () => {
    await under.limiter.close();
    await under.sibling?.close();
  });

  it('allows up to max hits, counting down remaining, then refuses with a retry delay', async () => {
    const b = bucket();
    for (let left = 4; left >= 0; left--) {
      expect(await limiter.hit(b, 5, 60)).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: left });
    }
    const refused = await limiter.hit(b, 5, 60);
    expect(refused.allowed).toBe(false);
    expect(refused.remaining).toBe(0);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect((await limiter.hit(b, 5, 60)).allowed).toBe(false);
  });

  it('never tells a refused client to retry in under a second', async () => {
    const b = bucket();
    await limiter.hit(b, 1, 0.2);
    expect(await limiter.hit(b, 1, 0.2)).toEqual({ allowed: false, retryAfterSeconds: 1, remaining: 0 });
  });

  it('keeps buckets independent', async () => {
    const [a, b] = [bucket(), bucket()];
    await limiter.hit(a, 2, 60);
    await limiter.hit(a, 2, 60);
    expect((await limiter.hit(a, 2, 60)).allowed).toBe(false);
    expect(await limiter.hit(b, 2, 60)).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('starts a fresh window once the old one ended, and refused hits do not extend it', async () => {
    const b = bucket();
    expect((await limiter.hit(b, 2, 0.6)).allowed).toBe(true);
    expect((await limiter.hit(b, 2, 0.6)).allowed).toBe(true);
    await sleep(300);
    expect((await limiter.hit(b, 2, 0.6)).allowed).toBe(false);
    await sleep(400);
    expect(await limiter.hit(b, 2, 0.6)).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 1 });
  });

  it('max 0 means no limit', async () => {
    const b = bucket();
    for (let i = 0; i < 5; i++) expect((await limiter.hit(b, 0, 60)).allowed).toBe(true);
  });

  it('counts concurrent hits exactly', async () => {
    const b = bucket();
    const results = await Promise.all(Array.from({ length: 50 }, () => limiter.hit(b, 20, 60)));
    expect(results.filter((r) => r.allowed)).toHaveLength(20);
    expect(
      results
        .map((r) => r.remaining)
        .sort((x, y) => x - y)
        .slice(30),
    ).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('shares counts between instances over the same store', async () => {
    const sibling = under.sibling;
    if (!sibling) return; // a single-process adapter has nothing to share
    const b = bucket();
    await limiter.hit(b, 3, 60);
    expect(await sibling.hit(b, 3, 60)).toMatchObject({ allowed: true, remaining: 1 });
    await limiter.hit(b, 3, 60);
    expect((await sibling.hit(b, 3, 60)).allowed).toBe(false);
    expect((await limiter.hit(b, 3, 60)).allowed).toBe(false);
  });

  it('answers ping', async () => {
    await expect(limiter.ping()).resolves.toBeUndefined();
  });
}
