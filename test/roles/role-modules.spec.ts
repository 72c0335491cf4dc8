import { ModuleRef } from '@nestjs/core';
import { LIVE_MAP_CACHE } from '../../libs/cache/index.js';
import { loadConfig } from '../../libs/config/index.js';
import { ROLE_EVENTS } from '../../libs/events/index.js';
import { IdentityService } from '../../libs/identity/identity.service.js';
import { IngestService } from '../../libs/ingest/ingest.service.js';
import { RATE_LIMITER } from '../../libs/rate-limit/rate-limiter.port.js';
import { DroneQueryService } from '../../libs/map-query/drone-query.service.js';
import { LiveStreamService } from '../../libs/map-query/live-stream.service.js';
import { JsonLogger } from '../../libs/ops/json-logger.js';
import { ProcessingWorker } from '../../libs/processing/processing.worker.js';
import { TelemetryProcessor } from '../../libs/processing/telemetry.processor.js';
import { TELEMETRY_QUEUE } from '../../libs/queue/index.js';
import { IDENTITY_REPOSITORY, TELEMETRY_REPOSITORY } from '../../libs/store/index.js';
import { closeAdapters, openAdapters } from '../../src/adapters/index.js';
import { describeEachMongoServer } from '../support/mongo-servers.js';
import { mongoDatabaseUrl, testRedisUrl, uniqueName } from '../support/real-servers.js';
import { ADMIN_TOKEN, Api, makeTenant, point, startTestApp, waitFor, type TestApp } from '../support/test-app.js';
import { droneEvent, SseStream } from './support/sse.js';

/**
 * Each role's module tree, in-process on the real Redis + each MongoDB-wire test server: which HTTP routes a role
 * serves (and that every other route is a 404), which providers exist, which adapters are opened,
 * and what /health/ready checks. The three roles share one prefix and database, so the
 * processor is also shown to consume what ingest queued, and web to read what it stored.
 */

type Role = 'ingest' | 'processor' | 'web';
const JWT_SECRET = 'roles-test-jwt-secret-0123456789-abcdef';

/** Every route of the contract, with the role that must serve it. */
const CONTRACT_ROUTES: [Role, string, string][] = [
  ['ingest', 'POST', '/api/v1/telemetry'],
  ['web', 'POST', '/api/v1/tenants'],
  ['web', 'POST', '/api/v1/tenants/:tenantId/users'],
  ['web', 'POST', '/api/v1/auth/login'],
  ['web', 'POST', '/api/v1/drones'],
  ['web', 'GET', '/api/v1/drones'],
  ['web', 'GET', '/api/v1/drones/:id'],
  ['web', 'DELETE', '/api/v1/drones/:id'],
  ['web', 'POST', '/api/v1/drones/:id/keys'],
  ['web', 'GET', '/api/v1/drones/:id/track'],
  ['web', 'GET', '/api/v1/map/drones'],
  ['web', 'GET', '/api/v1/map/stream'],
  ['web', 'GET', '/api/v1/flights'],
  ['web', 'GET', '/api/v1/flights/:id'],
  ['web', 'GET', '/api/v1/flights/:id/track'],
  ['web', 'GET', '/api/v1/flights/:id/export'],
  ['web', 'GET', '/api/v1/drones/:id/track/export'],
  ['web', 'GET', '/'],
  ['web', 'GET', '/app-config.json'],
  ['web', 'GET', '/api/docs'],
  ['web', 'GET', '/api/docs-json'],
  // Not in the contract, but identity routes of the web role too.
  ['web', 'GET', '/api/v1/me'],
  ['web', 'GET', '/api/v1/users'],
  ['web', 'POST', '/api/v1/users'],
  ['web', 'PATCH', '/api/v1/users/:id'],
  ['web', 'DELETE', '/api/v1/users/:id'],
  // v1.1: geofences, alerts, webhooks (issue 11).
  ['web', 'POST', '/api/v1/geofences'],
  ['web', 'GET', '/api/v1/geofences'],
  ['web', 'GET', '/api/v1/geofences/:id'],
  ['web', 'PATCH', '/api/v1/geofences/:id'],
  ['web', 'DELETE', '/api/v1/geofences/:id'],
  ['web', 'GET', '/api/v1/alerts'],
  ['web', 'GET', '/api/v1/alerts/:id'],
  ['web', 'POST', '/api/v1/alerts/:id/ack'],
  ['web', 'POST', '/api/v1/webhooks'],
  ['web', 'GET', '/api/v1/webhooks'],
  ['web', 'DELETE', '/api/v1/webhooks/:id'],
  ['web', 'GET', '/api/v1/webhooks/:id/deliveries'],
];
const OPERATIONS: [string, string][] = [
  ['GET', '/health/live'],
  ['GET', '/health/ready'],
  ['GET', '/metrics'],
];
/** Concrete URLs for the route patterns (ids that name nothing: a served route answers 400/401/404-with-body). */
const SAMPLE_ID = '0123456789abcdef01234567';
const concrete = (path: string) => path.replace(/:\w+/g, SAMPLE_ID);

/** Method + path of every route the Fastify instance has (from its route tree; HEAD twins left out). */
function routesOf(app: TestApp): string[] {
  const tree: string = app.handle.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
  const routes = new Set<string>();
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    stack[depth] = (depth > 0 ? stack[depth - 1] : '') + m[2];
    for (const method of m[3]?.split(', ') ?? []) if (method !== 'HEAD') routes.add(`${method} ${stack[depth]}`);
  }
  return [...routes].sort();
}

/** Web routes beyond the contract: the built web app's files and Swagger UI's assets. */
const WEB_ASSET = /^GET \/(index\.html|assets\/.+|api\/docs\/.*|api\/docs-yaml)$/;

describeEachMongoServer(
  'role module trees (in-process, Redis + MongoDB)',
  (server) => {
    const prefix = uniqueName('roles');
    const env = {
      REDIS_URL: testRedisUrl!,
      MONGO_URL: mongoDatabaseUrl(server.url, prefix),
      REDIS_KEY_PREFIX: prefix,
      JWT_SECRET,
    };
    const apps = {} as Record<Role, TestApp>;
    const apis = {} as Record<Role, Api>;

    beforeAll(async () => {
      const started = await Promise.allSettled(
        (['ingest', 'processor', 'web'] as const).map(async (role) => {
          apps[role] = await startTestApp({ ...env, ROLES: role });
          apis[role] = new Api(apps[role].url);
        }),
      );
      const failed = started.find((s) => s.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    }, 60_000);
    afterAll(async () => {
      // A processor finishes its running jobs before it closes; on a loaded machine that can take a while.
      await Promise.allSettled(Object.values(apps).map((a) => a.close()));
    }, 90_000);

    describe.each(['ingest', 'processor', 'web'] as const)('%s', (role) => {
      const own = CONTRACT_ROUTES.filter(([r]) => r === role).map(([, m, p]) => [m, p] as const);
      const foreign = CONTRACT_ROUTES.filter(([r]) => r !== role).map(([, m, p]) => [m, p] as const);

      it('registers exactly its own routes plus health and metrics', () => {
        const expected = [...own, ...OPERATIONS].map(([m, p]) => `${m} ${p}`);
        const actual = routesOf(apps[role]).filter((r) => !(role === 'web' && WEB_ASSET.test(r)));
        expect(actual).toEqual(expected.sort());
      });

      it('answers 404 in the error shape for every route of the other roles', async () => {
        const answers = await Promise.all(
          foreign.map(async ([method, path]) => {
            const res = await apis[role].req(method, concrete(path), {
              token: ADMIN_TOKEN,
              body: method === 'GET' || method === 'DELETE' ? undefined : {},
            });
            return [method, path, res.status, res.body?.statusCode] as const;
          }),
        );
        expect(answers).toEqual(foreign.map(([m, p]) => [m, p, 404, 404]));
      });

      it('serves its own routes (never a routing 404)', async () => {
        const answers = await Promise.all(
          own.map(async ([method, path]) => {
            const res = await fetch(apps[role].url + concrete(path), {
              method,
              headers: method === 'GET' || method === 'DELETE' ? {} : { 'content-type': 'application/json' },
              body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
              signal: AbortSignal.timeout(2000),
            }).catch((e: unknown) => ({ status: (e as Error).name === 'TimeoutError' ? 'stream' : 'error' }));
            return [method, path, res.status];
          }),
        );
        // 401 (no credentials) proves the route exists; an unauthenticated request never reaches a handler's 404.
        for (const [method, path, status] of answers)
          expect([method, path, status]).toEqual([method, path, expect.not.stringMatching(/^404$|^error$/)]);
        for (const [method, path] of OPERATIONS)
          expect([method, path, (await fetch(apps[role].url + path)).status]).toEqual([method, path, 200]);
        if (role === 'web') {
          const page = await fetch(`${apps.web.url}/`);
          expect([page.status, page.headers.get('content-type')]).toEqual([200, expect.stringMatching(/text\/html/)]);
          expect((await fetch(`${apps.web.url}/api/docs`)).status).toBe(200);
          const doc = await apis.web.get('/api/docs-json');
          expect(Object.keys(doc.body.paths)).toEqual(
            expect.arrayContaining(['/api/v1/drones', '/api/v1/map/stream', '/api/v1/auth/login', '/api/v1/telemetry']),
          );
        }
      });

      it('/health/ready reports only the backing services this role uses', async () => {
        const ready = await apis[role].get('/health/ready');
        expect(ready.status).toBe(200);
        const expected = {
          ingest: ['cache', 'events', 'queue', 'store'],
          processor: ['cache', 'events', 'queue', 'store'],
          web: ['cache', 'events', 'store'],
        }[role];
        expect(Object.keys(ready.body.checks).sort()).toEqual(expected);
        expect(Object.values(ready.body.checks).every((s) => s === 'up')).toBe(true);
      });

      it('has only its own providers and adapters', () => {
        // ModuleRef.get is app.get without the exceptions zone that logs every miss as an error.
        const modules = apps[role].handle.app.get(ModuleRef);
        const has = (token: unknown) => {
          try {
            modules.get(token as never, { strict: false });
            return true;
          } catch {
            return false;
          }
        };
        const providers = {
          IngestService: has(IngestService),
          TelemetryProcessor: has(TelemetryProcessor),
          ProcessingWorker: has(ProcessingWorker),
          IdentityService: has(IdentityService),
          DroneQueryService: has(DroneQueryService),
          LiveStreamService: has(LiveStreamService),
          TELEMETRY_QUEUE: has(TELEMETRY_QUEUE),
          TELEMETRY_REPOSITORY: has(TELEMETRY_REPOSITORY),
          LIVE_MAP_CACHE: has(LIVE_MAP_CACHE),
          RATE_LIMITER: has(RATE_LIMITER),
          IDENTITY_REPOSITORY: has(IDENTITY_REPOSITORY),
          ROLE_EVENTS: has(ROLE_EVENTS),
        };
        const ingest = role === 'ingest';
        const processor = role === 'processor';
        const web = role === 'web';
        expect(providers).toEqual({
          IngestService: ingest,
          TelemetryProcessor: processor,
          ProcessingWorker: processor,
          IdentityService: web,
          DroneQueryService: web,
          LiveStreamService: web,
          TELEMETRY_QUEUE: ingest || processor,
          TELEMETRY_REPOSITORY: processor || web,
          LIVE_MAP_CACHE: true,
          RATE_LIMITER: ingest || web,
          IDENTITY_REPOSITORY: true,
          ROLE_EVENTS: true,
        });
      });

      it('opens only the adapters its modules need', async () => {
        const adapters = await openAdapters(loadConfig({ ...env, ROLES: role, LOG_LEVEL: 'error' }), new JsonLogger('error'));
        try {
          const opened = Object.entries(adapters)
            .filter(([, v]) => v !== undefined)
            .map(([k]) => k)
            .sort();
          const expected = {
            ingest: ['cache', 'events', 'identity', 'queue', 'rateLimiter'],
            processor: [
              'alerts',
              'cache',
              'droneLocks',
              'events',
              'flights',
              'geofences',
              'identity',
              'judgedFixes',
              'offlineDeadlines',
              'queue',
              'telemetry',
              'webhooks',
            ],
            web: ['alerts', 'cache', 'events', 'flights', 'geofences', 'identity', 'rateLimiter', 'telemetry', 'webhooks'],
          }[role];
          expect(opened).toEqual(expected);
        } finally {
          await closeAdapters(adapters);
        }
      });
    });

    it('together they form one system: ingest queues, the processor consumes, web reads and streams', async () => {
      const t = await makeTenant(apis.web, 2);
      const base = Date.now() - 10 * 60_000;
      const points = Array.from({ length: 20 }, (_, k) => point({ timestamp: base + k * 1000, lat: 47.1 + k * 0.001, lon: 8.5 }));
      const sent = await apis.ingest.post('/api/v1/telemetry', { points }, t.drones[0].deviceKey);
      expect(sent.body).toEqual({ accepted: 20, duplicates: 0, rejected: [] });
      const track = await waitFor(
        async () => {
          const r = await apis.web.get(`/api/v1/drones/${t.drones[0].id}/track?from=${new Date(base - 1).toISOString()}`, t.viewerToken);
          return r.body.points?.length === 20 ? r.body : null;
        },
        15_000,
        'the processor to store the batch',
      );
      expect(track.points.at(-1)).toMatchObject({ lat: 47.119, lon: 8.5 });
      const stream = await SseStream.open(`${apps.web.url}/api/v1/map/stream?access_token=${t.viewerToken}`);
      try {
        await apis.ingest.post('/api/v1/telemetry', point({ lat: 47.5, lon: 8.6 }), t.drones[1].deviceKey);
        const event = await stream.waitFor(droneEvent(t.drones[1].id), 10_000, 'the live event of the new point');
        expect(event.data.geometry.coordinates).toEqual([8.6, 47.5]);
      } finally {
        stream.close();
      }
    }, 30_000);
  },
  { requires: [testRedisUrl] },
);
