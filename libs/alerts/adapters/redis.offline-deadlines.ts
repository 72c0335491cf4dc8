import type { Redis } from 'ioredis';
import { adapterRedis } from '../../redis/index.js';
import { UnavailableError } from '../../core/index.js';
import type { DueDrone, OfflineDeadlines } from '../offline-deadlines.port.js';

/**
 * Two keys: a hash member → dueAt (the truth) and a sorted set member → when it may be claimed
 * (dueAt, or a lease's end). Each operation is one Lua script, so replicas claim atomically:
 * a member due now is re-scored to the lease's end by exactly one caller.
 */
const SCHEDULE = `
for i = 1, #ARGV, 2 do
  local cur = redis.call('HGET', KEYS[1], ARGV[i])
  if (not cur) or tonumber(ARGV[i + 1]) > tonumber(cur) then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
    redis.call('ZADD', KEYS[2], ARGV[i + 1], ARGV[i])
  end
end
return 0`;
const CLAIM = `
local members = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, m in ipairs(members) do
  redis.call('ZADD', KEYS[2], ARGV[2], m)
  out[#out + 1] = m
  out[#out + 1] = redis.call('HGET', KEYS[1], m) or '0'
end
return out`;
const SETTLE = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
end
return 0`;

interface ScriptedRedis extends Redis {
  dtOfflineSchedule(due: string, queue: string, ...args: string[]): Promise<number>;
  dtOfflineClaim(due: string, queue: string, now: number, leaseUntil: number, limit: number): Promise<string[]>;
  dtOfflineSettle(due: string, queue: string, member: string, dueAt: string): Promise<number>;
}

export class RedisOfflineDeadlines implements OfflineDeadlines {
  readonly durable = true;
  private readonly redis: ScriptedRedis;
  private readonly owned: boolean;
  private readonly dueKey: string;
  private readonly queueKey: string;

  constructor(redis: string | Redis, prefix: string) {
    const { client, owned } = adapterRedis(redis, RedisOfflineDeadlines.name);
    this.owned = owned;
    this.redis = client as ScriptedRedis;
    this.redis.defineCommand('dtOfflineSchedule', { numberOfKeys: 2, lua: SCHEDULE });
    this.redis.defineCommand('dtOfflineClaim', { numberOfKeys: 2, lua: CLAIM });
    this.redis.defineCommand('dtOfflineSettle', { numberOfKeys: 2, lua: SETTLE });
    this.dueKey = `${prefix}offline:due`;
    this.queueKey = `${prefix}offline:queue`;
  }

  async schedule(entries: DueDrone[]): Promise<void> {
    if (entries.length === 0) return;
    const args = entries.flatMap((e) => [`${e.tenantId}|${e.droneId}`, String(e.dueAt)]);
    await this.call(() => this.redis.dtOfflineSchedule(this.dueKey, this.queueKey, ...args));
  }

  async claimDue(now: number, leaseUntil: number, limit: number): Promise<DueDrone[]> {
    const flat = await this.call(() => this.redis.dtOfflineClaim(this.dueKey, this.queueKey, now, leaseUntil, limit));
    const out: DueDrone[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const [tenantId, droneId] = flat[i].split('|');
      out.push({ tenantId, droneId, dueAt: Number(flat[i + 1]) });
    }
    return out;
  }

  async settle(e: DueDrone): Promise<void> {
    await this.call(() => this.redis.dtOfflineSettle(this.dueKey, this.queueKey, `${e.tenantId}|${e.droneId}`, String(e.dueAt)));
  }

  async ping(): Promise<void> {
    await this.call(() => this.redis.ping());
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new UnavailableError();
    }
  }
}
