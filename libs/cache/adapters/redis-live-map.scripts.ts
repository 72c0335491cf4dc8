/** The Lua scripts of RedisLiveMapCache: each runs atomically and in one round trip. */

/**
 * Applies a batch of one tenant's drone states atomically; a state older than the stored one is skipped.
 * KEYS: geo set, JSON hash, ts hash, side set (drones GEO cannot hold: near the poles).
 * ARGV: per drone `id, ts, inGeo ('1'|'0'), lon, lat, json`.
 * Returns the 1-based argument positions (of `id`) whose state moved forward (new or strictly newer).
 */
export const PUT_LUA = `
local moved = {}
for i = 1, #ARGV, 6 do
  local id = ARGV[i]
  local stored = redis.call('HGET', KEYS[3], id)
  if (not stored) or tonumber(stored) < tonumber(ARGV[i + 1]) then moved[#moved + 1] = i end
  if (not stored) or tonumber(stored) <= tonumber(ARGV[i + 1]) then
    if ARGV[i + 2] == '1' then
      redis.call('GEOADD', KEYS[1], ARGV[i + 3], ARGV[i + 4], id)
      redis.call('SREM', KEYS[4], id)
    else
      redis.call('ZREM', KEYS[1], id)
      redis.call('SADD', KEYS[4], id)
    end
    redis.call('HSET', KEYS[2], id, ARGV[i + 5])
    redis.call('HSET', KEYS[3], id, ARGV[i + 1])
  end
end
return moved
`;

/**
 * GEOSEARCH (when ARGV[1] is '1'; with COUNT … ANY it stops as soon as it has that many, so a
 * limited read costs what it returns) plus the side set (when ARGV[7] is '1'), then the drones' JSON,
 * in one round trip. KEYS: geo set, JSON hash, side set. ARGV: useGeo, lon, lat, width m, height m,
 * count (0 = no COUNT), useSideSet. Returns { how many ids GEOSEARCH gave, JSON values }.
 */
export const SEARCH_LUA = `
local ids = {}
if ARGV[1] == '1' then
  if ARGV[6] == '0' then
    ids = redis.call('GEOSEARCH', KEYS[1], 'FROMLONLAT', ARGV[2], ARGV[3], 'BYBOX', ARGV[4], ARGV[5], 'm')
  else
    ids = redis.call('GEOSEARCH', KEYS[1], 'FROMLONLAT', ARGV[2], ARGV[3], 'BYBOX', ARGV[4], ARGV[5], 'm', 'COUNT', ARGV[6], 'ANY')
  end
end
local fromGeo = #ids
if ARGV[7] == '1' then
  local side = redis.call('SMEMBERS', KEYS[3])
  for i = 1, #side do ids[#ids + 1] = side[i] end
end
local out = {}
-- unpack() has a stack limit of a few thousand values: fetch in chunks.
for i = 1, #ids, 500 do
  local chunk = redis.call('HMGET', KEYS[2], unpack(ids, i, math.min(i + 499, #ids)))
  for j = 1, #chunk do out[#out + 1] = chunk[j] end
end
return { fromGeo, out }
`;

/**
 * HSCAN pages of one tenant's drone JSON, in one round trip, until at least ARGV[2] values were
 * collected or the scan ended. KEYS: JSON hash. ARGV: cursor, want, page size.
 * Returns { next cursor ('0' when done), values } (a value may repeat: HSCAN's guarantee).
 */
export const SCAN_LUA = `
local cursor = ARGV[1]
local want = tonumber(ARGV[2])
local out = {}
repeat
  local page = redis.call('HSCAN', KEYS[1], cursor, 'COUNT', ARGV[3])
  cursor = page[1]
  local flat = page[2]
  for i = 2, #flat, 2 do out[#out + 1] = flat[i] end
until cursor == '0' or #out >= want
return { cursor, out }
`;
