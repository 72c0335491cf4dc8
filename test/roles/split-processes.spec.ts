import type { BullTelemetryQueue } from '../../libs/queue/adapters/bull-telemetry-queue.js';
import { ensureBuild, killAllProcesses, spawnApp, type AppProcess } from '../support/processes.js';
import { describeEachMongoServer } from '../support/mongo-servers.js';
import { mongoDatabaseUrl, testRedisUrl, uniqueName } from '../support/real-servers.js';
import { freePort } from '../support/services.js';
import { ADMIN_TOKEN, Api, makeTenant, point, type TenantFixture } from '../support/test-app.js';
import { drained, inspectQueue, jobCounts, lockHolders, sleep, storedPoints, TelemetryStream } from './support/cluster.js';
import { droneEvent, SseStream } from './support/sse.js';

/**
 * Split roles as separate OS processes from the build, sharing only Redis and a MongoDB-wire server (each test server in turn):
 * ingest ×1, processor ×1, web ×2. Role events reach every replica (SSE on each web replica,
 * cache invalidation across replicas and roles), and a processor stopped with SIGTERM under load
 * finishes what it took, exits 0 in time, and loses nothing that ingest acknowledged.
 */

const JWT_SECRET = 'roles-test-jwt-secret-0123456789-abcdef';
const SHUTDOWN_GRACE_SECONDS = 10;

describeEachMongoServer(
  'split roles as separate processes (Redis + MongoDB)',
  (server) => {
    const prefix = uniqueName('split');
    const common = {
      REDIS_URL: testRedisUrl!,
      MONGO_URL: mongoDatabaseUrl(server.url, prefix),
      REDIS_KEY_PREFIX: prefix,
      JWT_SECRET,
      ADMIN_TOKEN,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_SECONDS: String(SHUTDOWN_GRACE_SECONDS),
      DATA_DIR: '/nonexistent/unused-with-servers',
    };
    const start = async (name: string, roles: string): Promise<AppProcess> =>
      spawnApp({ name, env: { ...common, ROLES: roles, PORT: String(await freePort()) } }).ready(60_000);

    let ingest: AppProcess;
    let processor: AppProcess;
    let webA: AppProcess;
    let webB: AppProcess;
    let api: { ingest: Api; a: Api; b: Api };
    let queue: BullTelemetryQueue;

    beforeAll(async () => {
      ensureBuild();
      queue = inspectQueue(testRedisUrl!, prefix);
      [ingest, processor, webA, webB] = await Promise.all([
        start('ingest', 'ingest'),
        start('processor', 'processor'),
        start('web-a', 'web'),
        start('web-b', 'web'),
      ]);
      api = { ingest: new Api(ingest.url), a: new Api(webA.url), b: new Api(webB.url) };
    }, 15 * 60_000);

    afterAll(async () => {
      await killAllProcesses();
      await queue?.close();
    });

    describe('cross-replica events', () => {
      let t: TenantFixture;
      beforeAll(async () => {
        t = await makeTenant(api.a, 3);
      });

      it('an SSE client on EACH web replica receives the event of a point sent through ingest', async () => {
        const url = (p: AppProcess) => `${p.url}/api/v1/map/stream?bbox=0,40,20,60&access_token=${t.viewerToken}`;
        const [onA, onB] = await Promise.all([SseStream.open(url(webA)), SseStream.open(url(webB))]);
        try {
          const sent = await api.ingest.post('/api/v1/telemetry', point({ lat: 47.37, lon: 8.54 }), t.drones[0].deviceKey);
          expect(sent.status).toBe(202);
          const [a, b] = await Promise.all([
            onA.waitFor(droneEvent(t.drones[0].id), 15_000, 'the drone event on web replica A'),
            onB.waitFor(droneEvent(t.drones[0].id), 15_000, 'the drone event on web replica B'),
          ]);
          for (const e of [a, b]) {
            expect(e.data).toMatchObject({ type: 'Feature', id: t.drones[0].id, geometry: { type: 'Point', coordinates: [8.54, 47.37] } });
          }
        } finally {
          onA.close();
          onB.close();
        }
      }, 30_000);

      it('deleting a drone through replica A: replica B answers 404 and ingest refuses its key at once', async () => {
        const d = t.drones[1];
        // Warm every cache first: B holds the drone record, ingest the resolved key.
        expect((await api.b.get(`/api/v1/drones/${d.id}`, t.viewerToken)).status).toBe(200);
        expect((await api.ingest.post('/api/v1/telemetry', point(), d.deviceKey)).status).toBe(202);

        const del = await api.a.req('DELETE', `/api/v1/drones/${d.id}`, { token: t.adminToken });
        expect(del.status).toBe(204);
        const deletedAt = Date.now();

        // First request after the 204, no retry: the cached record is gone for every replica.
        const onB = await api.b.get(`/api/v1/drones/${d.id}`, t.viewerToken);
        expect(onB.status).toBe(404);
        expect(onB.body).toMatchObject({ statusCode: 404 });
        // Ingest learns through a role event (pub/sub, milliseconds); its cache would otherwise keep the key 30 s.
        let status = 0;
        while (Date.now() - deletedAt < 1000) {
          status = (await api.ingest.post('/api/v1/telemetry', point(), d.deviceKey)).status;
          if (status === 401) break;
          await sleep(20);
        }
        expect({ status, withinMs: Date.now() - deletedAt <= 1000 }).toEqual({ status: 401, withinMs: true });
        // History stays readable after deletion, through either replica.
        expect((await api.b.get(`/api/v1/drones/${d.id}/track`, t.viewerToken)).status).toBe(200);
      });

      it('rotating a key through replica B: ingest refuses the old key at once and accepts the new one', async () => {
        const d = t.drones[2];
        expect((await api.ingest.post('/api/v1/telemetry', point(), d.deviceKey)).status).toBe(202);
        const rotated = await api.b.post(`/api/v1/drones/${d.id}/keys`, {}, t.adminToken);
        expect(rotated.status).toBe(201);
        const rotatedAt = Date.now();
        let status = 0;
        while (Date.now() - rotatedAt < 1000) {
          status = (await api.ingest.post('/api/v1/telemetry', point(), d.deviceKey)).status;
          if (status === 401) break;
          await sleep(20);
        }
        expect({ status, withinMs: Date.now() - rotatedAt <= 1000 }).toEqual({ status: 401, withinMs: true });
        expect((await api.ingest.post('/api/v1/telemetry', point(), rotated.body.deviceKey)).status).toBe(202);
      });
    });

    describe('graceful shutdown of a processor under load', () => {
      it('SIGTERM: finishes its jobs, exits 0 within SHUTDOWN_GRACE_SECONDS, and every 202-acknowledged point is stored once', async () => {
        const t = await makeTenant(api.a, 4);
        const stream = new TelemetryStream(api.ingest, t, { batch: 100, intervalMs: 40 });
        let replacement: AppProcess | null = null;
        try {
          // Let the processor get busy with a steady stream (and a backlog), then stop it.
          await sleep(2000);
          // Signal it at a moment it holds a running job (its lock is in Redis).
          const watchUntil = Date.now() + 10_000;
          while ((await lockHolders(queue)).size === 0 && Date.now() < watchUntil) await sleep(5);
          const before = await jobCounts(queue);
          const stopped = await processor.stop('SIGTERM', (SHUTDOWN_GRACE_SECONDS + 10) * 1000);
          const after = await jobCounts(queue);
          // Ingest keeps acknowledging while no processor runs: the queue holds those points.
          await sleep(1000);
          await stream.stop();

          expect(stream.problems).toEqual([]);
          expect(stopped).toMatchObject({ code: 0, signal: null });
          expect(stopped.ms).toBeLessThan(SHUTDOWN_GRACE_SECONDS * 1000);
          // It was working when the signal came, and finished what it was running. Bull fetches a
          // worker's next job in the same script that completes its last one, and its local pause cuts
          // the blocking fetch: up to one job per concurrent worker (PROCESSOR_CONCURRENCY, default 4)
          // can stay active, unlocked, until another processor's stalled check takes it. Nothing is
          // lost: the exactly-once check below covers those jobs.
          expect(before.active).toBeGreaterThan(0);
          expect(after.failed).toBe(0);
          expect(after.active).toBeLessThanOrEqual(4);
          const messages = processor.logs().map((l) => l.msg);
          expect(messages).toEqual(
            expect.arrayContaining(['shutting down', 'processor stopped; in-flight jobs finished', 'shutdown complete']),
          );
          expect(processor.logs().filter((l) => l.level === 'error')).toEqual([]);

          // A second processor drains what is left; then every acknowledged point is stored exactly once.
          replacement = await start('processor-2', 'processor');
          await drained(queue, 60_000);
          for (const d of t.drones) {
            expect([d.id, await storedPoints(api.b, t.viewerToken, d.id, stream.firstTimestamp)]).toEqual([
              d.id,
              { count: stream.acked.get(d.id), duplicates: 0 },
            ]);
          }
          expect(stream.total).toBeGreaterThan(0);
          // Nothing had to be recovered from a dead worker (but that one job cut off mid-fetch).
          if (after.active === 0) expect(replacement.logs().filter((l) => /stalled/.test(String(l.msg)))).toEqual([]);
          console.log(
            `graceful shutdown: ${stream.total} points in ${stream.requests} requests; queue at SIGTERM ${JSON.stringify(before)}, ` +
              `after exit ${JSON.stringify(after)}; exit after ${stopped.ms} ms`,
          );
        } finally {
          await stream.stop();
          await replacement?.stop('SIGTERM').catch(() => undefined);
        }
      }, 120_000);
    });
  },
  { requires: [testRedisUrl] },
);
