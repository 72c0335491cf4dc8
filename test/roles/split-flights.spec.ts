import { ensureBuild, killAllProcesses, spawnApp, type AppProcess } from '../support/processes.js';
import { runFlightScenario, SCENARIO_FLIGHTS } from '../support/flight-scenario.js';
import { describeEachMongoServer } from '../support/mongo-servers.js';
import { mongoDatabaseUrl, testRedisUrl, uniqueName } from '../support/real-servers.js';
import { freePort } from '../support/services.js';
import { ADMIN_TOKEN, Api } from '../support/test-app.js';

/**
 * Flight detection in split roles as OS processes on Redis + a MongoDB-wire server (each test
 * server in turn): ingest ×1, processor ×2 (so one drone's jobs land on both and the Redis drone
 * locks matter), web ×1. The hostile upload scenario must end exactly as it does in one process
 * (test/flights/flight-scenario.spec.ts).
 */
describeEachMongoServer(
  'flights in split roles (Redis + MongoDB)',
  (server) => {
    const prefix = uniqueName('flights');
    const common = {
      REDIS_URL: testRedisUrl!,
      MONGO_URL: mongoDatabaseUrl(server.url, prefix),
      REDIS_KEY_PREFIX: prefix,
      JWT_SECRET: 'roles-test-jwt-secret-0123456789-abcdef',
      ADMIN_TOKEN,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      FLIGHT_GAP_SECONDS: '300',
      DATA_DIR: '/nonexistent/unused-with-servers',
    };
    const start = async (name: string, roles: string): Promise<AppProcess> =>
      spawnApp({ name, env: { ...common, ROLES: roles, PORT: String(await freePort()) } }).ready(60_000);
    let ingest: AppProcess;
    let web: AppProcess;

    beforeAll(async () => {
      ensureBuild();
      [ingest, , , web] = await Promise.all([
        start('ingest', 'ingest'),
        start('processor-1', 'processor'),
        start('processor-2', 'processor'),
        start('web', 'web'),
      ]);
    }, 10 * 60_000);
    afterAll(() => killAllProcesses());

    it('ends with the same flights as one process', async () => {
      const { flights } = await runFlightScenario(new Api(ingest.url), new Api(web.url));
      expect(flights).toEqual(SCENARIO_FLIGHTS);
    }, 120_000);
  },
  { requires: [testRedisUrl] },
);
