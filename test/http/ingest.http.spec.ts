import { TELEMETRY_QUEUE, type TelemetryQueue } from '../../libs/queue/index.js';
import { ADMIN_TOKEN, Api, makeTenant, point, startTestApp, waitFor, type TenantFixture, type TestApp } from '../support/test-app.js';

describe('ingest HTTP contract: POST /api/v1/telemetry', () => {
  let app: TestApp;
  let api: Api;
  let t: TenantFixture;
  const send = (body: unknown, key = t.drones[0].deviceKey) => api.post('/api/v1/telemetry', body, key);

  beforeAll(async () => {
    app = await startTestApp();
    api = new Api(app.url);
    t = await makeTenant(api, 3);
  });
  afterAll(() => app.close());

  describe('authentication', () => {
    it('401 without a key, with an unknown key, and with a malformed header', async () => {
      for (const res of [
        await api.post('/api/v1/telemetry', point()),
        await api.post('/api/v1/telemetry', point(), 'dtk_' + 'A'.repeat(43)),
        await api.req('POST', '/api/v1/telemetry', { body: point(), headers: { authorization: 'Basic abc' } }),
        await api.post('/api/v1/telemetry', point(), ADMIN_TOKEN),
      ]) {
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
      }
    });
  });

  it('202 for one valid point', async () => {
    const res = await send(point());
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  });

  it('accepts epoch milliseconds and offsets other than Z, and defaults status to unknown', async () => {
    const key = t.drones[2].deviceKey;
    expect((await send({ timestamp: Date.now() - 60_000, lat: 1, lon: 2 }, key)).status).toBe(202);
    expect((await send({ timestamp: '2024-05-01T14:00:00.123+02:00', lat: 1, lon: 2 }, key)).status).toBe(202);
    const track = await waitFor(async () => {
      const r = await api.get(`/api/v1/drones/${t.drones[2].id}/track?from=2024-01-01T00:00:00Z`, t.viewerToken);
      return r.body.points?.length === 2 ? r.body : null;
    });
    expect(track.points[0]).toEqual({ timestamp: '2024-05-01T12:00:00.123Z', lat: 1, lon: 2, status: 'unknown' });
  });

  describe('400 naming each invalid field, and nothing stored', () => {
    const future = new Date(Date.now() + 10 * 60_000).toISOString();
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['timestamp missing', { timestamp: undefined }, /timestamp is required/],
      ['timestamp not a date', { timestamp: 'yesterday' }, /timestamp must be an ISO-8601/],
      ['timestamp without offset', { timestamp: '2025-01-01T12:00:00' }, /timestamp must be an ISO-8601/],
      ['timestamp as numeric string', { timestamp: '1700000000000' }, /timestamp must be an ISO-8601/],
      ['timestamp negative epoch', { timestamp: -5 }, /timestamp must be epoch milliseconds/],
      ['timestamp in the future', { timestamp: future }, /must not be more than 5 minutes in the future/],
      ['lat missing', { lat: undefined }, /lat is required/],
      ['lat out of range', { lat: 90.0001 }, /lat must be a number between -90 and 90/],
      ['lat as string', { lat: '52.5' }, /lat must be a number/],
      ['lon out of range', { lon: -180.5 }, /lon must be a number between -180 and 180/],
      ['altitude too low', { altitude: -501 }, /altitude must be a number between -500 and 20000/],
      ['heightAgl too high', { heightAgl: 20001 }, /heightAgl must be a number/],
      ['speed negative', { speed: -1 }, /speed must be a number between 0 and 200/],
      ['verticalSpeed too fast', { verticalSpeed: 100.5 }, /verticalSpeed must be a number between -100 and 100/],
      ['heading of 360', { heading: 360 }, /heading must be a number >= 0 and < 360/],
      ['battery over 100', { battery: 101 }, /battery must be a number between 0 and 100/],
      ['battery null', { battery: null }, /battery must be a number/],
      ['status unknown word', { status: 'flying' }, /status must be one of ground, airborne, emergency, unknown/],
      ['accuracy negative', { accuracy: -0.1 }, /accuracy must be a number between 0 and 10000/],
      ['unknown field', { colour: 'red' }, /property colour should not exist/],
      ['droneId not a string', { droneId: 42 }, /droneId must be a string/],
    ];
    it.each(cases)('%s', async (_name, override, message) => {
      const body = point({ timestamp: '2024-02-02T02:02:02Z', ...override });
      const res = await send(body, t.drones[1].deviceKey);
      expect(res.status).toBe(400);
      expect(res.body.statusCode).toBe(400);
      expect(res.body.error).toBe('Bad Request');
      expect(([] as string[]).concat(res.body.message).join('\n')).toMatch(message);
      expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|node_modules|stack/);
    });
    it('stored none of them', async () => {
      await new Promise((r) => setTimeout(r, 200));
      const res = await api.get(`/api/v1/drones/${t.drones[1].id}/track?from=2024-01-01T00:00:00Z`, t.viewerToken);
      expect(res.body.points).toEqual([]);
    });
  });

  it('403 when droneId names another drone', async () => {
    const res = await send(point({ droneId: t.drones[1].id }));
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('Forbidden');
    expect((await send(point({ droneId: t.drones[0].id }))).status).toBe(202);
  });

  it('a batch keeps every valid point and reports every invalid one', async () => {
    const base = Date.parse('2024-03-03T03:00:00Z');
    const res = await send({
      points: [
        point({ timestamp: base }),
        point({ timestamp: base + 1000, lat: 123 }),
        point({ timestamp: base + 2000 }),
        point({ timestamp: base + 3000, status: 'x', extra: 1 }),
      ],
    });
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(2);
    expect(res.body.duplicates).toBe(0);
    expect(res.body.rejected).toEqual([
      { index: 1, errors: [expect.stringMatching(/^lat must be/)] },
      { index: 3, errors: expect.arrayContaining([expect.stringMatching(/extra/), expect.stringMatching(/^status/)]) },
    ]);
  });

  describe('400 for a malformed envelope', () => {
    it.each([
      ['points not an array', { points: 'nope' }, /points must be an array/],
      ['empty batch', { points: [] }, /from 1 to 1000 points/],
      ['over 1000 points', { points: Array.from({ length: 1001 }, () => point()) }, /from 1 to 1000 points \(got 1001\)/],
      ['extra key beside points', { points: [point()], meta: 1 }, /meta should not exist/],
      ['body is an array', [point()], /JSON object/],
      ['body is a string', 'hello', /JSON object/],
      ['no point valid', { points: [{ lat: 1 }, { lat: 2, lon: 3 }] }, /no point in the batch is valid/],
    ])('%s', async (_name, body, message) => {
      const res = await send(body);
      expect(res.status).toBe(400);
      expect(([] as string[]).concat(res.body.message).join('\n')).toMatch(message);
    });

    it('invalid JSON', async () => {
      const res = await api.req('POST', '/api/v1/telemetry', { raw: '{"lat": ', token: t.drones[0].deviceKey });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'request body is not valid JSON' });
    });

    it('415 for a body that is not JSON', async () => {
      const res = await api.req('POST', '/api/v1/telemetry', {
        raw: 'lat=1',
        token: t.drones[0].deviceKey,
        headers: { 'content-type': 'text/plain' },
      });
      expect(res.status).toBe(415);
      expect(res.body.statusCode).toBe(415);
    });
  });

  it('413 for a body over 1 MiB', async () => {
    const big = JSON.stringify({ points: [point({ pad: 'x'.repeat(1024 * 1024) })] });
    const res = await api.req('POST', '/api/v1/telemetry', { raw: big, token: t.drones[0].deviceKey });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: expect.stringMatching(/1 MiB/) });
  });

  it('stores duplicates once, whenever they come', async () => {
    const ts = '2024-04-04T04:04:04Z';
    const key = t.drones[1].deviceKey;
    expect((await send(point({ timestamp: ts }), key)).body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect((await send(point({ timestamp: ts }), key)).body).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    const batch = await send(
      { points: [point({ timestamp: ts }), point({ timestamp: '2024-04-04T04:04:05Z' }), point({ timestamp: '2024-04-04T04:04:05Z' })] },
      key,
    );
    expect(batch.body).toEqual({ accepted: 1, duplicates: 2, rejected: [] });
    const track = await waitFor(async () => {
      const r = await api.get(`/api/v1/drones/${t.drones[1].id}/track?from=2024-04-04T00:00:00Z&to=2024-04-05T00:00:00Z`, t.viewerToken);
      return r.body.points.length >= 2 ? r.body : null;
    });
    await new Promise((r) => setTimeout(r, 200));
    const again = await api.get(`/api/v1/drones/${t.drones[1].id}/track?from=2024-04-04T00:00:00Z&to=2024-04-05T00:00:00Z`, t.viewerToken);
    expect(again.body.points.map((p: { timestamp: string }) => p.timestamp)).toEqual([
      '2024-04-04T04:04:04.000Z',
      '2024-04-04T04:04:05.000Z',
    ]);
    expect(track.points).toHaveLength(2);
  });

  it('a late point is stored in history but leaves the state alone', async () => {
    const drone = t.drones[2];
    const now = Date.now();
    await send(point({ timestamp: now - 1000, lat: 10, lon: 10 }), drone.deviceKey);
    const state = await waitFor(async () => {
      const r = await api.get(`/api/v1/drones/${drone.id}`, t.viewerToken);
      return r.body.state?.lat === 10 ? r.body.state : null;
    });
    expect((await send(point({ timestamp: now - 30_000, lat: 20, lon: 20 }), drone.deviceKey)).status).toBe(202);
    await waitFor(async () => {
      const r = await api.get(`/api/v1/drones/${drone.id}/track?from=${new Date(now - 60_000).toISOString()}`, t.viewerToken);
      return r.body.points.some((p: { lat: number }) => p.lat === 20);
    });
    const after = await api.get(`/api/v1/drones/${drone.id}`, t.viewerToken);
    expect(after.body.state).toEqual(state);
  });

  it('refuses rotated and deleted keys', async () => {
    const extra = await api.post('/api/v1/drones', { name: 'short-lived' }, t.adminToken);
    const oldKey = extra.body.deviceKey;
    expect((await send(point(), oldKey)).status).toBe(202);
    const rotated = await api.post(`/api/v1/drones/${extra.body.id}/keys`, undefined, t.adminToken);
    expect(rotated.status).toBe(201);
    expect((await send(point(), oldKey)).status).toBe(401);
    expect((await send(point({ timestamp: Date.now() + 1 }), rotated.body.deviceKey)).status).toBe(202);
    expect((await api.req('DELETE', `/api/v1/drones/${extra.body.id}`, { token: t.adminToken })).status).toBe(204);
    expect((await send(point(), rotated.body.deviceKey)).status).toBe(401);
  });
});

describe('ingest rate limit', () => {
  let app: TestApp;
  afterAll(() => app?.close());

  it('429 with Retry-After once a device key exceeds RATE_LIMIT_DEVICE_MAX', async () => {
    app = await startTestApp({ RATE_LIMIT_DEVICE_MAX: '3', RATE_LIMIT_DEVICE_WINDOW_SECONDS: '60' });
    const api = new Api(app.url);
    const t = await makeTenant(api, 2);
    for (let i = 0; i < 3; i++) {
      expect((await api.post('/api/v1/telemetry', point({ timestamp: Date.now() - i }), t.drones[0].deviceKey)).status).toBe(202);
    }
    const limited = await api.post('/api/v1/telemetry', point(), t.drones[0].deviceKey);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(/rate limit/) });
    // Another drone has its own budget.
    expect((await api.post('/api/v1/telemetry', point(), t.drones[1].deviceKey)).status).toBe(202);
  });
});

describe('ingest when the queue is down', () => {
  let app: TestApp;
  afterAll(() => app?.close());

  it('503 in the error shape, nothing accepted', async () => {
    app = await startTestApp();
    const api = new Api(app.url);
    const t = await makeTenant(api, 1);
    await app.handle.app.get<TelemetryQueue>(TELEMETRY_QUEUE).close();
    const res = await api.post('/api/v1/telemetry', point(), t.drones[0].deviceKey);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: expect.stringMatching(/queue is unavailable/) });
    expect(JSON.stringify(res.body)).not.toMatch(/closed|Error:/);
  });
});
