import { keepOut, square } from '../support/geo-fixtures.js';
import { ensureBuild, killAllProcesses, spawnApp, type AppProcess } from '../support/processes.js';
import { describeEachMongoServer } from '../support/mongo-servers.js';
import { mongoDatabaseUrl, testRedisUrl, uniqueName } from '../support/real-servers.js';
import { freePort } from '../support/services.js';
import { ADMIN_TOKEN, Api, makeTenant, point, waitFor, type TenantFixture } from '../support/test-app.js';
import { verifySignature, WebhookReceiver } from '../support/webhook-receiver.js';
import { SseStream } from './support/sse.js';

/**
 * Alerts with split roles as separate processes on Redis + a MongoDB-wire server (each test
 * server in turn): ingest ×1, processor ×2, web ×1. Geofence alerts reach the web role's API
 * and stream, an offline silence opens exactly one alert whichever processor notices, and a
 * webhook delivery pending while every processor is SIGKILLed is delivered once one restarts.
 */
const JWT_SECRET = 'alerting-roles-jwt-secret-0123456789-abcdef';

describeEachMongoServer(
  'alerts in split roles (Redis + MongoDB)',
  (server) => {
    const prefix = uniqueName('alerting');
    const common = {
      REDIS_URL: testRedisUrl!,
      MONGO_URL: mongoDatabaseUrl(server.url, prefix),
      REDIS_KEY_PREFIX: prefix,
      JWT_SECRET,
      ADMIN_TOKEN,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      OFFLINE_AFTER_SECONDS: '3',
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_RETRY_BASE_SECONDS: '1',
      RATE_LIMIT_USER_MAX: '0',
      RATE_LIMIT_DEVICE_MAX: '0',
      DATA_DIR: '/nonexistent/unused-with-servers',
    };
    const start = async (name: string, roles: string): Promise<AppProcess> =>
      spawnApp({ name, env: { ...common, ROLES: roles, PORT: String(await freePort()) } }).ready(90_000);

    let ingest: AppProcess;
    let processors: AppProcess[];
    let web: AppProcess;
    let api: { ingest: Api; web: Api };
    let t: TenantFixture;
    let receiver: WebhookReceiver;

    beforeAll(async () => {
      ensureBuild();
      [ingest, web, ...processors] = await Promise.all([
        start('ingest', 'ingest'),
        start('web', 'web'),
        start('processor-a', 'processor'),
        start('processor-b', 'processor'),
      ]);
      api = { ingest: new Api(ingest.url), web: new Api(web.url) };
      t = await makeTenant(api.web, 4);
      receiver = await new WebhookReceiver().start();
    }, 5 * 60_000);

    afterAll(async () => {
      await killAllProcesses();
      await receiver?.close();
    });

    const send = (i: number, overrides: Record<string, unknown>) =>
      api.ingest.post('/api/v1/telemetry', point(overrides), t.drones[i].deviceKey);
    const alerts = async (query: string) => (await api.web.get(`/api/v1/alerts?${query}`, t.viewerToken)).body.items as any[];

    it('a keep-out violation opens an alert seen by the API and the stream; deleting the geofence resolves it', async () => {
      const stream = await SseStream.open(`${web.url}/api/v1/map/stream?bbox=0,0,1,1&access_token=${t.viewerToken}`);
      try {
        const g = (
          await api.web.post('/api/v1/geofences', keepOut({ geometry: square(13.4, 52.5), droneIds: [t.drones[0].id] }), t.adminToken)
        ).body;
        expect((await send(0, { lon: 13.4, lat: 52.5 })).status).toBe(202);
        const alert = await waitFor(async () => (await alerts(`type=geofence&droneId=${t.drones[0].id}`))[0], 20_000, 'geofence alert');
        expect(alert.geofenceId).toBe(g.id);
        await waitFor(
          async () => stream.events.some((e) => e.event === 'alert' && e.data.id === alert.id),
          10_000,
          'event: alert on the stream',
        );
        expect((await api.web.req('DELETE', `/api/v1/geofences/${g.id}`, { token: t.adminToken })).status).toBe(204);
        await waitFor(
          async () => stream.events.some((e) => e.event === 'alert' && e.data.id === alert.id && e.data.state === 'resolved'),
          10_000,
          'resolved on the stream',
        );
      } finally {
        stream.close();
      }
    }, 60_000);

    it('an offline silence opens exactly one alert with two processors, and a point ends it', async () => {
      expect((await send(1, { battery: 90 })).status).toBe(202);
      const first = await waitFor(async () => (await alerts(`type=offline&droneId=${t.drones[1].id}`))[0], 30_000, 'offline alert');
      // Sync point: a later silence of another drone is handled after this one's deadline passed for both processors.
      expect((await send(2, { battery: 90 })).status).toBe(202);
      await waitFor(async () => (await alerts(`type=offline&droneId=${t.drones[2].id}`))[0], 30_000, 'second drone offline');
      expect(await alerts(`type=offline&droneId=${t.drones[1].id}&state=all`)).toHaveLength(1);
      expect((await send(1, { battery: 90 })).status).toBe(202);
      await waitFor(
        async () => (await api.web.get(`/api/v1/alerts/${first.id}`, t.viewerToken)).body.state === 'resolved',
        20_000,
        'resolved',
      );
    }, 120_000);

    it('a delivery pending while every processor is SIGKILLed is delivered after one restarts', async () => {
      const hook = (await api.web.post('/api/v1/webhooks', { url: receiver.url, events: ['alert.opened'] }, t.adminToken)).body;
      // Other drones' offline alerts are delivered too; only the emergency's delivery is held back.
      let accept = false;
      receiver.respond = (r) => (r.json.alert.type === 'emergency' && !accept ? 500 : 200);
      expect((await send(3, { status: 'emergency' })).status).toBe(202);
      const alert = await waitFor(async () => (await alerts(`type=emergency&droneId=${t.drones[3].id}`))[0], 20_000, 'emergency alert');
      const deliveryOf = async () =>
        ((await api.web.get(`/api/v1/webhooks/${hook.id}/deliveries?limit=500`, t.adminToken)).body.items as any[]).find(
          (d) => d.alertId === alert.id,
        );
      await waitFor(
        async () => {
          const d = await deliveryOf();
          return d?.attempts >= 1 && d.status === 'pending';
        },
        30_000,
        'a first attempt answered 500 and recorded',
      );
      await Promise.all(processors.map((p) => p.stop('SIGKILL')));
      accept = true;
      processors = [await start('processor-c', 'processor')];
      const delivered = await waitFor(
        async () => {
          const d = await deliveryOf();
          return d?.status === 'delivered' ? d : null;
        },
        60_000,
        'delivered after the restart',
      );
      expect(delivered.lastStatusCode).toBe(200);
      const mine = receiver.requests.filter((r) => r.json.alert.id === alert.id);
      expect(new Set(mine.map((r) => r.eventId))).toEqual(new Set([delivered.eventId]));
      expect(mine.length).toBeGreaterThanOrEqual(2);
      for (const r of receiver.requests) expect(verifySignature(hook.secret, r.signature, r.body)).toBe(true);
    }, 180_000);
  },
  { requires: [testRedisUrl] },
);
