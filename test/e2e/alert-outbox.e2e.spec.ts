import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALERT_REPOSITORY, asOpened, toAlertView, type AlertRepository, type NewAlert } from '../../libs/alerts/index.js';
import { newId } from '../../libs/core/index.js';
import { WebhookOutbox } from '../../libs/webhooks/index.js';
import { SseStream } from '../roles/support/sse.js';
import { describeEachMongoServer } from '../support/mongo-servers.js';
import { mongoDatabaseUrl, uniqueName } from '../support/real-servers.js';
import { Api, makeTenant, startTestApp, waitFor, type TestApp } from '../support/test-app.js';
import { verifySignature, WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * The alert outbox across a crash: a process stores alert changes and dies before announcing
 * them (one before anything, one after its webhook deliveries but before marking it announced).
 * The next process's AlertAnnouncer announces both once their grace time passed: each reaches
 * the map stream, and each webhook gets exactly one delivery, one event id, however often the
 * event was enqueued.
 */
function outboxAcrossACrash(name: string, suite: jest.Describe, env: () => Record<string, string>): void {
  suite(`alert announcements across a crash: ${name}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'dt-outbox-'));
    let receiver: WebhookReceiver;
    let app: TestApp | undefined;
    beforeAll(async () => {
      receiver = await new WebhookReceiver().start();
    });
    afterAll(async () => {
      await app?.close();
      await receiver?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('announces what the dead process left pending: one stream event and one delivery per alert', async () => {
      const settings = { ...env(), WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', RATE_LIMIT_USER_MAX: '0' };
      app = await startTestApp(settings, dir);
      const api = new Api(app.url);
      const t = await makeTenant(api, 2);
      const hook = (await api.post('/api/v1/webhooks', { url: receiver.url, events: ['alert.opened'] }, t.adminToken)).body;
      const alertOf = (droneId: string): NewAlert => ({
        ...{ id: newId(), tenantId: t.tenantId, droneId, type: 'emergency', geofenceId: null, state: 'open' },
        ...{
          openedAt: Date.now(),
          resolvedAt: null,
          acknowledgedAt: null,
          acknowledgedBy: null,
          message: 'the drone reported an emergency',
        },
        position: { ts: Date.now(), lat: 52.5, lon: 13.4, altitude: 100, heightAgl: null },
      });
      const [untold, halfTold] = [alertOf(t.drones[0].id), alertOf(t.drones[1].id)];
      const store = () => app!.handle.app.get<symbol, AlertRepository>(ALERT_REPOSITORY);
      // What the engine writes, then the process dies: nothing announced, or the deliveries only.
      expect(await store().open(untold)).toBe(true);
      expect(await store().open(halfTold)).toBe(true);
      await app.handle.app.get(WebhookOutbox).enqueue(t.tenantId, 'alert.opened', toAlertView(asOpened(halfTold)));
      await app.close();

      app = await startTestApp(settings, dir);
      const stream = await SseStream.open(`${app.url}/api/v1/map/stream?bbox=0,0,1,1&access_token=${t.viewerToken}`);
      try {
        for (const a of [untold, halfTold]) {
          const seen = await stream.waitFor((e) => e.event === 'alert' && e.data.id === a.id, 20_000, `event: alert of ${a.id}`);
          expect(seen.data).toMatchObject({ id: a.id, type: 'emergency', state: 'open' });
        }
      } finally {
        stream.close();
      }
      const log = async () => (await new Api(app!.url).get(`/api/v1/webhooks/${hook.id}/deliveries`, t.adminToken)).body.items as any[];
      const delivered = await waitFor(
        async () => {
          const items = await log();
          return items.length >= 2 && items.every((d) => d.status === 'delivered') ? items : null;
        },
        15_000,
        'both deliveries delivered',
      );
      expect(delivered.map((d) => d.alertId).sort()).toEqual([untold.id, halfTold.id].sort());
      for (const a of [untold, halfTold]) {
        const mine = receiver.requests.filter((r) => r.json.alert.id === a.id);
        expect(new Set(mine.map((r) => r.eventId))).toEqual(new Set([delivered.find((d) => d.alertId === a.id).eventId]));
        for (const r of mine) expect(verifySignature(hook.secret, r.signature, r.body)).toBe(true);
        await waitFor(async () => (await store().get(t.tenantId, a.id))?.pending.length === 0, 5_000, `${a.id} marked announced`);
        expect(await store().get(t.tenantId, a.id)).toMatchObject({ pending: [], announceDueAt: null });
      }
    }, 90_000);
  });
}

outboxAcrossACrash('embedded', describe, () => ({}));
describeEachMongoServer('alert outbox on MongoDB', (server) => {
  const url = mongoDatabaseUrl(server.url, uniqueName('outbox'));
  outboxAcrossACrash('MongoDB', describe, () => ({ MONGO_URL: url }));
});
