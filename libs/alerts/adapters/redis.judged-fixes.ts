import type { Redis } from 'ioredis';
import { adapterRedis } from '../../redis/index.js';
import { UnavailableError } from '../../core/index.js';
import type { AdvanceResult, JudgedFix, JudgedFixes } from '../judged-fixes.port.js';

/** One hash, field "<tenant>|<drone>" → "ts,lon,lat"; the compare-and-set of every fix runs in one Lua call. */
const ADVANCE = `
local out = {}
for i = 1, #ARGV, 3 do
  local cur = redis.call('HGET', KEYS[1], ARGV[i])
  local ts = tonumber(ARGV[i + 1])
  if cur and tonumber(string.match(cur, '^([^,]+)')) >= ts then
    out[#out + 1] = 'stale'
  else
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1] .. ',' .. ARGV[i + 2])
    out[#out + 1] = cur or ''
  end
end
return out`;

interface ScriptedRedis extends Redis {
  dtAdvanceFixes(key: string, ...args: string[]): Promise<string[]>;
}

export class RedisJudgedFixes implements JudgedFixes {
  private readonly redis: ScriptedRedis;
  private readonly owned: boolean;
  private readonly key: string;

  constructor(redis: string | Redis, prefix: string) {
    const { client, owned } = adapterRedis(redis, RedisJudgedFixes.name);
    this.owned = owned;
    this.redis = client as ScriptedRedis;
    this.redis.defineCommand('dtAdvanceFixes', { numberOfKeys: 1, lua: ADVANCE });
    this.key = `${prefix}alerts:judged`;
  }

  async advance(fixes: JudgedFix[]): Promise<AdvanceResult[]> {
    if (fixes.length === 0) return [];
    // Coordinates as text keep full precision; the comma joins them into one field value.
    const args = fixes.flatMap((f) => [`${f.tenantId}|${f.droneId}`, String(f.ts), `${f.lon},${f.lat}`]);
    let raw: string[];
    try {
      raw = await this.redis.dtAdvanceFixes(this.key, ...args);
    } catch {
      throw new UnavailableError();
    }
    return raw.map((r) => {
      if (r === 'stale') return 'stale';
      if (r === '') return null;
      const [ts, lon, lat] = r.split(',').map(Number);
      return { ts, lon, lat };
    });
  }

  async ping(): Promise<void> {
    await this.redis.ping().catch(() => {
      throw new UnavailableError();
    });
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
