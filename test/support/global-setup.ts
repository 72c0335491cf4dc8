// Jest loads global setup through its CommonJS transform, which needs the extensionless path.
// @ts-ignore TS2835
import { formatMongoServers, parseMongoServers, type MongoTestServer } from './mongo-servers';
// @ts-ignore TS2835
import { reportMissing, startFerretDb, startRedis, startSecantus, type RunningServer } from './services';

type Start = () => Promise<RunningServer | null>;

/** Starts a server unless the environment already names one; a missing or broken one is reported. */
async function provide(name: string, envVar: string, start: Start, missing: string, running: RunningServer[]): Promise<string | null> {
  if (process.env[envVar]) return process.env[envVar]!;
  const started = await start().catch((e: unknown) => {
    console.warn(`\n*** ${name} failed to start: ${e instanceof Error ? e.message : String(e)} ***`);
    return null;
  });
  if (!started) {
    reportMissing(missing);
    return null;
  }
  running.push(started);
  process.env[envVar] = started.url;
  return started.url;
}

/**
 * One Redis and one of each MongoDB-wire server (FerretDB on PostgreSQL, SecantusDB) for the
 * whole run, started in parallel; suites isolate themselves by key prefix and database name. The
 * URLs reach the test workers through the environment (TEST_REDIS_URL, TEST_MONGO_URLS; see
 * mongo-servers.ts). If a required server is missing, what did start is stopped before failing.
 */
export default async function globalSetup(): Promise<void> {
  const running: RunningServer[] = [];
  (globalThis as { __DT_SERVERS__?: RunningServer[] }).__DT_SERVERS__ = running;
  try {
    const external = process.env.TEST_MONGO_URLS || process.env.TEST_MONGO_URL;
    const [, ferret, secantus] = await Promise.allSettled([
      provide('redis-server', 'TEST_REDIS_URL', startRedis, 'redis-server', running),
      external
        ? null
        : provide(
            'FerretDB',
            'TEST_FERRETDB_URL',
            startFerretDb,
            'FerretDB on PostgreSQL (scripts/install-ferretdb.sh, postgresql-15)',
            running,
          ),
      external
        ? null
        : provide('SecantusDB', 'TEST_SECANTUS_URL', startSecantus, 'SecantusDB (scripts/install-test-services.sh venv)', running),
    ]).then((results) => {
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      return results.map((r) => (r as PromiseFulfilledResult<string | null>).value);
    });
    if (!process.env.TEST_MONGO_URLS) {
      const servers: MongoTestServer[] = process.env.TEST_MONGO_URL
        ? [{ name: 'MongoDB', url: process.env.TEST_MONGO_URL }]
        : [ferret && { name: 'FerretDB', url: ferret }, secantus && { name: 'SecantusDB', url: secantus }].filter(
            (s): s is MongoTestServer => !!s,
          );
      process.env.TEST_MONGO_URLS = formatMongoServers(servers);
    }
    const names = parseMongoServers(process.env.TEST_MONGO_URLS).map((s: MongoTestServer) => s.name);
    console.log(`\nMongoDB-wire test servers: ${names.join(', ') || 'none'}`);
  } catch (e) {
    await Promise.all(running.map((s) => s.stop()));
    throw e;
  }
}
