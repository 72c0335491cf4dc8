// Jest loads global setup through its CommonJS transform, which needs the extensionless path.
// @ts-ignore TS2835
import { reportMissing, startFerretDb, startRedis, type RunningServer } from './services';

/**
 * One Redis and one FerretDB for the whole run; suites isolate themselves by key prefix and
 * database name. The URLs reach the test workers through the environment.
 */
export default async function globalSetup(): Promise<void> {
  const running: RunningServer[] = [];
  const redis = process.env.TEST_REDIS_URL ? null : await startRedis();
  if (redis) {
    running.push(redis);
    process.env.TEST_REDIS_URL = redis.url;
  } else if (!process.env.TEST_REDIS_URL) {
    reportMissing('redis-server');
  }
  const mongo = process.env.TEST_MONGO_URL ? null : await startFerretDb().catch((e: unknown) => (console.warn(String(e)), null));
  if (mongo) {
    running.push(mongo);
    process.env.TEST_MONGO_URL = mongo.url;
  } else if (!process.env.TEST_MONGO_URL) {
    reportMissing('FerretDB (scripts/install-ferretdb.sh)');
  }
  (globalThis as { __DT_SERVERS__?: RunningServer[] }).__DT_SERVERS__ = running;
}
