import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isForbiddenAddress } from '../../libs/webhooks/ssrf-guard.js';
import { sendWebhook } from '../../libs/webhooks/webhook-sender.js';
import { Api, makeTenant, point, startTestApp, waitFor, type TenantFixture, type TestApp } from '../support/test-app.js';
import { verifySignature, WebhookReceiver } from '../support/webhook-receiver.js';

describe('webhooks HTTP contract', () => {
  describe('with private networks allowed (self-hosting, tests) and 1 s retries', () => {
    let app: TestApp;
    let api: Api;
    let a: TenantFixture;
    let b: TenantFixture;
    let receiver: WebhookReceiver;

    beforeAll(async () => {
      app = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_RETRY_BASE_SECONDS: '1', RATE_LIMIT_USER_MAX: '0' });
      api = new Api(app.url);
      [a, b] = await Promise.all([makeTenant(api, 2), makeTenant(api, 1)]);
      receiver = await new WebhookReceiver().start();
    });
    afterAll(async () => {
      await app.close();
      await receiver.close();
    });

    it('creates (secret once), lists without the secret, other tenants 404, viewers 403', async () => {
      const res = await api.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/x', description: 'ops' }, a.adminToken);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        url: 'http://127.0.0.1:9/x',
        events: ['alert.opened', 'alert.resolved', 'alert.acknowledged'],
        description: 'ops',
        createdAt: expect.any(String),
        secret: expect.stringMatching(/^whsec_.{40,}/),
      });
      const list = await api.get('/api/v1/webhooks', a.adminToken);
      expect(list.status).toBe(200);
      expect(list.body.items).toContainEqual({
        id: res.body.id,
        url: res.body.url,
        events: res.body.events,
        description: 'ops',
        createdAt: res.body.createdAt,
      });
      expect(JSON.stringify(list.body)).not.toContain(res.body.secret);
      expect((await api.get('/api/v1/webhooks', a.viewerToken)).status).toBe(403);
      expect((await api.post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/x' }, a.viewerToken)).status).toBe(403);
      expect((await api.get(`/api/v1/webhooks/${res.body.id}/deliveries`, b.adminToken)).status).toBe(404);
      expect((await api.req('DELETE', `/api/v1/webhooks/${res.body.id}`, { token: b.adminToken })).status).toBe(404);
      expect((await api.req('DELETE', `/api/v1/webhooks/${res.body.id}`, { token: a.viewerToken })).status).toBe(403);
      expect((await api.req('DELETE', `/api/v1/webhooks/${res.body.id}`, { token: a.adminToken })).status).toBe(204);
      expect((await api.req('DELETE', `/api/v1/webhooks/${res.body.id}`, { token: a.adminToken })).status).toBe(404);
    });

    it.each([
      ['missing url', {}, /url is required/],
      ['ftp url', { url: 'ftp://example.com/x' }, /http or https/],
      ['not a url', { url: 'hello' }, /absolute http or https URL/],
      ['unknown event', { url: 'http://127.0.0.1:9/x', events: ['drone.moved'] }, /events must be a non-empty array/],
      ['empty events', { url: 'http://127.0.0.1:9/x', events: [] }, /events must be a non-empty array/],
      ['long description', { url: 'http://127.0.0.1:9/x', description: 'x'.repeat(201) }, /description must be a string of at most 200/],
      ['unknown field', { url: 'http://127.0.0.1:9/x', secret: 's' }, /secret is not a webhook field/],
    ])('400 for %s', async (_what, body, message) => {
      const res = await api.post('/api/v1/webhooks', body, a.adminToken);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.anything() });
      expect([res.body.message].flat().join('\n')).toMatch(message);
    });

    it('signs deliveries, retries a 500 and delivers the event once as far as the receiver can tell', async () => {
      const created = await api.post(
        '/api/v1/webhooks',
        { url: receiver.url, events: ['alert.opened', 'alert.acknowledged'] },
        a.adminToken,
      );
      receiver.plan = [500];
      await api.post('/api/v1/telemetry', point({ battery: 5 }), a.drones[0].deviceKey);
      await waitFor(async () => receiver.requests.length >= 2, 15_000, 'a retry after the 500');
      const [first, second] = receiver.requests;
      expect(second.eventId).toBe(first.eventId);
      expect(second.body).toBe(first.body);
      expect(receiver.uniqueEvents()).toHaveLength(1);
      for (const r of receiver.requests) expect(verifySignature(created.body.secret, r.signature, r.body)).toBe(true);
      expect(verifySignature('whsec_wrong', first.signature, first.body)).toBe(false);
      expect(first.json).toEqual({
        id: first.eventId,
        type: 'alert.opened',
        createdAt: expect.any(String),
        tenantId: a.tenantId,
        alert: expect.objectContaining({ type: 'low_battery', droneId: a.drones[0].id, state: 'open' }),
      });

      const log = await waitFor(
        async () => {
          const res = await api.get(`/api/v1/webhooks/${created.body.id}/deliveries`, a.adminToken);
          return res.body.items[0]?.status === 'delivered' ? res.body.items : null;
        },
        10_000,
        'delivered in the log',
      );
      expect(log[0]).toEqual({
        id: expect.any(String),
        eventId: first.eventId,
        event: 'alert.opened',
        alertId: first.json.alert.id,
        status: 'delivered',
        attempts: 2,
        lastStatusCode: 200,
        lastError: null,
        createdAt: expect.any(String),
        lastAttemptAt: expect.any(String),
        nextAttemptAt: null,
      });

      // Subscribed events only: an ack is sent, a resolve is not.
      await api.post(`/api/v1/alerts/${first.json.alert.id}/ack`, undefined, a.viewerToken);
      await waitFor(async () => receiver.requests.some((r) => r.json.type === 'alert.acknowledged'), 10_000, 'ack event');
      expect((await api.get(`/api/v1/webhooks/${created.body.id}/deliveries?limit=0`, a.adminToken)).status).toBe(400);
    });
  });

  it('embedded: a pending delivery survives a restart of the process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dt-webhook-restart-'));
    const env = { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_RETRY_BASE_SECONDS: '1', RATE_LIMIT_USER_MAX: '0' };
    const receiver = await new WebhookReceiver().start();
    receiver.respond = () => 503;
    let app = await startTestApp(env, dir);
    try {
      let api = new Api(app.url);
      const t = await makeTenant(api, 1);
      const hook = (await api.post('/api/v1/webhooks', { url: receiver.url, events: ['alert.opened'] }, t.adminToken)).body;
      await api.post('/api/v1/telemetry', point({ status: 'emergency' }), t.drones[0].deviceKey);
      const log = async () => (await api.get(`/api/v1/webhooks/${hook.id}/deliveries`, t.adminToken)).body.items[0];
      await waitFor(async () => (await log())?.attempts >= 1, 15_000, 'a failed first attempt');
      await app.close();
      receiver.respond = () => 200;
      app = await startTestApp(env, dir);
      api = new Api(app.url);
      const delivered = await waitFor(
        async () => ((await log())?.status === 'delivered' ? await log() : null),
        20_000,
        'delivered after the restart',
      );
      expect(new Set(receiver.requests.map((r) => r.eventId))).toEqual(new Set([delivered.eventId]));
      for (const r of receiver.requests) expect(verifySignature(hook.secret, r.signature, r.body)).toBe(true);
    } finally {
      await app.close();
      await receiver.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  describe('SSRF rule (default: private networks refused)', () => {
    let app: TestApp;
    let api: Api;
    let a: TenantFixture;
    beforeAll(async () => {
      app = await startTestApp();
      api = new Api(app.url);
      a = await makeTenant(api, 0);
    });
    afterAll(() => app.close());

    it.each([
      'http://127.0.0.1/x',
      'http://localhost:8080/x',
      'http://10.1.2.3/x',
      'http://192.168.0.1/x',
      'http://169.254.169.254/latest',
      'http://[::1]/x',
      'http://[::ffff:127.0.0.1]/x',
      'http://0.0.0.0/x',
      'http://[fe80::1]/x',
      'http://224.0.0.1/x',
    ])('400 for %s', async (url) => {
      const res = await api.post('/api/v1/webhooks', { url }, a.adminToken);
      expect(res.status).toBe(400);
      expect(String(res.body.message)).toMatch(/loopback, private, link-local, multicast or unspecified/);
    });

    it('refuses forbidden addresses again at delivery (the socket lookup checks what it connects to)', async () => {
      const receiver = await new WebhookReceiver().start();
      try {
        const byName = await sendWebhook(receiver.url.replace('127.0.0.1', 'localhost'), '{}', {}, false);
        expect(byName).toEqual({ statusCode: null, error: 'url host resolves to a forbidden address' });
        expect(await sendWebhook(receiver.url, '{}', {}, false)).toEqual({ statusCode: null, error: 'url host is a forbidden address' });
        expect(receiver.requests).toHaveLength(0);
        expect(await sendWebhook(receiver.url, '{}', {}, true)).toEqual({ statusCode: 200, error: null });
      } finally {
        await receiver.close();
      }
    });

    it('classifies addresses, IPv6 and IPv4-mapped included', () => {
      for (const ip of [
        '127.0.0.1',
        '10.0.0.1',
        '172.16.5.4',
        '192.168.1.1',
        '169.254.1.1',
        '0.0.0.0',
        '224.1.1.1',
        '::',
        '::1',
        'fc00::1',
        'fd12::1',
        'fe80::1',
        'ff02::1',
        '::ffff:10.0.0.1',
        '::ffff:7f00:1',
      ]) {
        expect([ip, isForbiddenAddress(ip)]).toEqual([ip, true]);
      }
      for (const ip of ['8.8.8.8', '1.1.1.1', '2606:4700::1111', '::ffff:8.8.8.8'])
        expect([ip, isForbiddenAddress(ip)]).toEqual([ip, false]);
    });
  });
});
