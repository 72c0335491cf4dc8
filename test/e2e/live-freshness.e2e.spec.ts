import { LIVE_MAP_CACHE, type LiveMapCache } from '../../libs/cache/index.js';
import { APP_CONFIG, type AppConfig } from '../../libs/config/index.js';
import { ROLE_EVENTS } from '../../libs/events/index.js';
import type { TelemetryPoint } from '../../libs/core/index.js';
import { LivePositionPublisher } from '../../libs/live-positions/index.js';
import { AppMetrics } from '../../libs/ops/metrics.js';
import { TelemetryProcessor } from '../../libs/processing/telemetry.processor.js';
import { IDENTITY_REPOSITORY, TELEMETRY_REPOSITORY } from '../../libs/store/index.js';
import { describeEachMongoServer } from '../support/mongo-servers.js';
import { mongoDatabaseUrl, testRedisUrl, uniqueName } from '../support/real-servers.js';
import { Api, makeTenant, point, readSse, startTestApp, waitFor, type TestApp } from '../support/test-app.js';

/**
 * The live map does not wait for history: ingest and web run here WITHOUT any processor, so the
 * history backlog never drains, yet the newest position reaches the map, the drone's state and
 * the stream. Then a processor "killed" between its state and cache writes: its retry still
 * brings the map to the newest position.
 */
describeEachMongoServer(
  'live map freshness (split roles on Redis and MongoDB, no processor running)',
  (server) => {
    let app: TestApp;
    let api: Api;

    beforeAll(async () => {
      app = await startTestApp({
        ROLES: 'ingest,web',
        REDIS_URL: testRedisUrl!,
        REDIS_KEY_PREFIX: uniqueName('fresh'),
        MONGO_URL: mongoDatabaseUrl(server.url, uniqueName('fresh')),
      });
      api = new Api(app.url);
    });

    afterAll(async () => {
      await app?.close();
    });

    it('puts the newest position on the map and the stream while history is not written at all', async () => {
      const t = await makeTenant(api, 1);
      const [drone] = t.drones;
      const base = Date.now() - 30_000;
      const batch = Array.from({ length: 200 }, (_, k) => point({ timestamp: base + k * 100, lat: 52 + k * 0.001, lon: 13 }));
      expect((await api.post('/api/v1/telemetry', { points: batch }, drone.deviceKey)).status).toBe(202);

      const feature = await waitFor(
        async () => {
          const r = await api.get('/api/v1/map/drones?bbox=12,51,14,53', t.viewerToken);
          return r.body.features?.[0]?.properties.lat === 52 + 199 * 0.001 ? r.body.features[0] : null;
        },
        5_000,
        'the newest position on the map',
      );
      expect(feature.id).toBe(drone.id);
      expect(
        (await api.get(`/api/v1/drones/${drone.id}/track?from=${new Date(base - 1).toISOString()}`, t.viewerToken)).body.points,
      ).toEqual([]);

      // The batch's own event may still be on its way when the stream opens: wait for the new position.
      const events = await readSse(
        `${app.url}/api/v1/map/stream?bbox=12,51,14,53&access_token=${t.viewerToken}`,
        1,
        10_000,
        async () => {
          await new Promise((r) => setTimeout(r, 300));
          await api.post('/api/v1/telemetry', point({ lat: 52.5, lon: 13.5 }), drone.deviceKey);
        },
        (e) => e.data.properties?.lat === 52.5,
      );
      expect(events.at(-1)).toMatchObject({ event: 'drone', data: { id: drone.id, properties: { lat: 52.5, lon: 13.5 } } });
    });

    it('a processor killed between its state write and its cache write leaves no stale map: the retried job publishes', async () => {
      const t = await makeTenant(api, 1);
      const [drone] = t.drones;
      const get = <T>(token: symbol) => app.handle.app.get<T>(token as never, { strict: false });
      const cache = get<LiveMapCache>(LIVE_MAP_CACHE);
      // The "kill": the first cache write never happens (the state write before it did).
      let killed = false;
      const dying: LiveMapCache = Object.assign(Object.create(cache) as LiveMapCache, {
        putDrones: async (...args: Parameters<LiveMapCache['putDrones']>) => {
          if (!killed) {
            killed = true;
            throw new Error('processor killed');
          }
          return cache.putDrones(...args);
        },
      });
      const processor = new TelemetryProcessor(
        get(TELEMETRY_REPOSITORY),
        new LivePositionPublisher(get(IDENTITY_REPOSITORY), dying, get(ROLE_EVENTS)),
        new AppMetrics(),
        null as never, // no flight detector: detection is off below
        { ...get<AppConfig>(APP_CONFIG), flightDetection: false },
        { onPoints: async () => undefined } as never, // alerts are not what this test is about
      );
      const now = Date.now();
      const job = {
        points: [5, 4, 3].map((k): TelemetryPoint => ({
          tenantId: t.tenantId,
          droneId: drone.id,
          ts: now - k * 1000,
          lat: 40 + k,
          lon: 10,
          status: 'airborne',
          receivedAt: now,
        })),
      };

      await expect(processor.process(job)).rejects.toThrow('processor killed');
      expect((await api.get('/api/v1/map/drones?bbox=9,40,11,50', t.viewerToken)).body.features).toEqual([]);
      // The queue runs the job again (at-least-once): the state write is a no-op now, the map still catches up.
      await processor.process(job);
      const r = await api.get('/api/v1/map/drones?bbox=9,40,11,50', t.viewerToken);
      expect(r.body.features.map((f: any) => [f.id, f.properties.lat])).toEqual([[drone.id, 43]]);
      expect((await api.get(`/api/v1/drones/${drone.id}`, t.viewerToken)).body.state).toMatchObject({ lat: 43, lon: 10 });
    });
  },
  { requires: [testRedisUrl] },
);
