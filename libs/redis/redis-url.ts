/** ioredis connection options from a redis:// or rediss:// URL (user, password, db, TLS). */
export interface RedisConnectionOptions {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
  tls?: Record<string, never>;
}

export function redisOptionsFromUrl(redisUrl: string): RedisConnectionOptions {
  const url = new URL(redisUrl);
  const db = Number(url.pathname.slice(1) || '0');
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(url.port || 6379),
    ...(url.username && { username: decodeURIComponent(url.username) }),
    ...(url.password && { password: decodeURIComponent(url.password) }),
    db: Number.isInteger(db) ? db : 0,
    ...(url.protocol === 'rediss:' && { tls: {} }),
  };
}
