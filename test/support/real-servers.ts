import { randomBytes } from 'node:crypto';
import { mongoTestServers } from './mongo-servers.js';

/** URLs of the servers global-setup started; null when they are missing (the suite then skips). */
export const testRedisUrl: string | null = process.env.TEST_REDIS_URL ?? null;
/**
 * The first MongoDB-wire test server. Suites that test MongoDB behaviour should run on every
 * server instead: describeEachMongoServer (mongo-servers.ts).
 */
export const testMongoUrl: string | null = mongoTestServers[0]?.url ?? null;

/** `describe` that runs only when the server is there; the skip was already reported loudly. */
export function describeWith(url: string | null): jest.Describe {
  return (url ? describe : describe.skip) as jest.Describe;
}

/** A unique name so parallel suites never share keys or databases. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/** MONGO_URL for a fresh database on the test server. */
export function mongoDatabaseUrl(base: string, db: string): string {
  const url = new URL(base);
  url.pathname = `/${db}`;
  return url.toString();
}
