import { request } from 'node:http';
import { ADMIN_TOKEN, Api, makeTenant, point, startTestApp, type TenantFixture, type TestApp } from '../support/test-app.js';

/**
 * POST /api/v1/telemetry has two ways in (TelemetryHttpRoute): the usual request is answered
 * before Fastify, anything else by the Fastify route. A query string sends a request the Fastify
 * way, so every answer here is compared between the two.
 */
describe('ingest: the fast path and the Fastify route answer alike', () => {
  let app: TestApp;
  let api: Api;
  let t: TenantFixture;
  let ts = Date.now() - 600_000;

  beforeAll(async () => {
    app = await startTestApp();
    api = new Api(app.url);
    t = await makeTenant(api, 2);
  });
  afterAll(() => app.close());

  const both = async (raw: string, token?: string, headers: Record<string, string> = {}) => {
    const fast = await api.req('POST', '/api/v1/telemetry', { raw, token, headers });
    const fastify = await api.req('POST', '/api/v1/telemetry?via=fastify', { raw, token, headers });
    return { fast, fastify };
  };

  it.each([
    ['invalid JSON', '{"lat": '],
    ['whitespace only', ' '],
    ['prototype poisoning', '{"__proto__": {"x": 1}, "lat": 1, "lon": 2, "timestamp": 1}'],
    ['nesting too deep', '['.repeat(40) + ']'.repeat(40)],
    ['an invalid field', JSON.stringify(point({ lat: 91 }))],
    ['a batch with no valid point', JSON.stringify({ points: [{ lat: 1 }] })],
    ['an array body', JSON.stringify([point()])],
  ])('400 alike for %s', async (_name, raw) => {
    const { fast, fastify } = await both(raw, t.drones[0].deviceKey);
    expect(fast.status).toBe(400);
    expect(fast.body).toEqual(fastify.body);
    expect(fast.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('401 alike without a key, with an unknown key and with the admin token', async () => {
    for (const token of [undefined, 'dtk_' + 'B'.repeat(43), ADMIN_TOKEN]) {
      const { fast, fastify } = await both(JSON.stringify(point()), token);
      expect(fast.status).toBe(401);
      expect(fast.body).toEqual(fastify.body);
    }
  });

  it('403 alike when droneId names another drone', async () => {
    const { fast, fastify } = await both(JSON.stringify(point({ droneId: t.drones[1].id })), t.drones[0].deviceKey);
    expect(fast.status).toBe(403);
    expect(fast.body).toEqual(fastify.body);
  });

  it('202 alike, and a repeat is a duplicate whichever way it came', async () => {
    const body = JSON.stringify(point({ timestamp: (ts += 1000) }));
    const fast = await api.req('POST', '/api/v1/telemetry', { raw: body, token: t.drones[0].deviceKey });
    expect(fast.status).toBe(202);
    expect(fast.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(fast.headers.get('x-content-type-options')).toBe('nosniff');
    const again = await api.req('POST', '/api/v1/telemetry?via=fastify', { raw: body, token: t.drones[0].deviceKey });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
  });

  it('a body that arrives in several chunks', async () => {
    const body = Buffer.from(JSON.stringify(point({ timestamp: (ts += 1000) })));
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${app.url}/api/v1/telemetry`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': body.length,
          authorization: `Bearer ${t.drones[0].deviceKey}`,
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on('error', reject);
      req.write(body.subarray(0, 10));
      setTimeout(() => req.end(body.subarray(10)), 50);
    });
    expect(answer.status).toBe(202);
    expect(JSON.parse(answer.body)).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  });

  it('a body with multi-byte characters split across chunks is read as UTF-8', async () => {
    // "é" is two bytes; cut between them, a point's invalid status is echoed back intact.
    const raw = Buffer.from(JSON.stringify(point({ timestamp: (ts += 1000), status: 'été' })));
    const cut = raw.indexOf(Buffer.from('é')) + 1;
    const answer = await new Promise<{ status: number; body: { message: string[] } }>((resolve, reject) => {
      const req = request(`${app.url}/api/v1/telemetry`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': raw.length, authorization: `Bearer ${t.drones[0].deviceKey}` },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.write(raw.subarray(0, cut));
      setTimeout(() => req.end(raw.subarray(cut)), 50);
    });
    expect(answer.status).toBe(400);
    expect(answer.body.message.join(' ')).toMatch(/status/);
    expect(answer.body.message.join(' ')).not.toContain('\uFFFD');
  });
});
