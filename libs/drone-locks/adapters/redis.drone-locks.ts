import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { adapterRedis } from '../../redis/index.js';
import { UnavailableError } from '../../core/index.js';
import type { DroneLocks } from '../drone-locks.port.js';
import { KeyedLock } from '../keyed-lock.js';

/** Takes every free lock of the list in one round trip; returns the indexes it took. */
const ACQUIRE_LUA = `
local taken = {}
for i, key in ipairs(KEYS) do
  if redis.call('SET', key, ARGV[1], 'NX', 'PX', ARGV[2]) then taken[#taken + 1] = i - 1 end
end
return taken
`;
/** Releases only the locks still holding this owner's token (an expired lock may be someone else's now). */
const RELEASE_LUA = `
local n = 0
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then n = n + redis.call('DEL', key) end
end
return n
`;

/** Extends the locks still holding this owner's token. */
const RENEW_LUA = `
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('PEXPIRE', key, ARGV[2]) end
end
return 1
`;

interface ScriptedRedis extends Redis {
  dtLockAcquire(...args: (string | number)[]): Promise<number[]>;
  dtLockRelease(...args: (string | number)[]): Promise<number>;
  dtLockRenew(...args: (string | number)[]): Promise<number>;
}

/**
 * Short, renewed while the task runs: a SIGKILLed processor's drones are free again within
 * seconds (the other processors wait for them), while a slow step keeps its lock.
 */
const LOCK_TTL_MS = 5_000;
const RENEW_EVERY_MS = 1_500;
const RETRY_MS = [5, 10, 20, 50, 100];

/**
 * Per-drone locks in Redis shared by every processor on the same Redis and prefix (split roles
 * always have Redis). A lock expires unless renewed, so a crashed processor frees its drones.
 * Own concurrent jobs queue in-process first, so they never poll Redis against each other.
 */
export class RedisDroneLocks implements DroneLocks {
  private readonly redis: ScriptedRedis;
  private readonly owned: boolean;
  private readonly local = new KeyedLock();

  constructor(
    redis: string | Redis,
    private readonly prefix = 'dt:',
  ) {
    const { client, owned } = adapterRedis(redis, RedisDroneLocks.name);
    this.owned = owned;
    client.defineCommand('dtLockAcquire', { lua: ACQUIRE_LUA });
    client.defineCommand('dtLockRelease', { lua: RELEASE_LUA });
    client.defineCommand('dtLockRenew', { lua: RENEW_LUA });
    this.redis = client as ScriptedRedis;
  }

  async forEach(droneIds: string[], task: (droneId: string) => Promise<void>): Promise<void> {
    const errors: unknown[] = [];
    const results = await Promise.allSettled(droneIds.map((id) => this.local.run(id, () => this.remote(id, task))));
    for (const r of results) if (r.status === 'rejected') errors.push(r.reason);
    if (errors.length > 0) throw errors[0];
  }

  /** One drone at a time from this process, so the batch of Redis calls stays per drone. */
  private async remote(droneId: string, task: (droneId: string) => Promise<void>): Promise<void> {
    // The key name dates from when only flights took the lock; kept, so a rolling update's old and
    // new processors still exclude each other.
    const key = `${this.prefix}flightlock:${droneId}`;
    const token = randomBytes(12).toString('base64url');
    for (let attempt = 0; ; attempt++) {
      const taken = await this.call(() => this.redis.dtLockAcquire(1, key, token, LOCK_TTL_MS));
      if (taken.length === 1) break;
      await new Promise((r) => setTimeout(r, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]));
    }
    const renew = setInterval(() => void this.redis.dtLockRenew(1, key, token, LOCK_TTL_MS).catch(() => undefined), RENEW_EVERY_MS);
    try {
      await task(droneId);
    } finally {
      clearInterval(renew);
      await this.call(() => this.redis.dtLockRelease(1, key, token)).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch {
      throw new UnavailableError();
    }
  }
}
