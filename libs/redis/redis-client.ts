import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';

/** A Redis client for an adapter: opened from a URL (then the adapter closes it) or borrowed. */
export interface AdapterRedis {
  client: Redis;
  /** Only a connection the adapter opened is closed by it. */
  owned: boolean;
}

export function adapterRedis(redis: string | Redis, name: string): AdapterRedis {
  if (typeof redis !== 'string') return { client: redis, owned: false };
  const client = new Redis(redis, { maxRetriesPerRequest: 2 });
  logConnectionErrors(client, new Logger(name));
  return { client, owned: true };
}

/** Commands report their own failures; log a connection problem once per outage, not per retry. */
function logConnectionErrors(client: Redis, logger: Logger): void {
  let reported = false;
  client.on('error', (e: Error) => {
    if (!reported) logger.warn(`Redis connection problem: ${e.message}`);
    reported = true;
  });
  client.on('ready', () => (reported = false));
}
