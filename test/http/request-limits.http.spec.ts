import { jest } from '@jest/globals';
import { connect } from 'node:net';
import { Api, makeTenant, startTestApp, type TenantFixture, type TestApp } from '../support/test-app.js';

/**
 * Requests that would stall or crash the process are refused with a 4xx in the contract's shape:
 * key-heavy and deeply nested JSON (before class-transformer), slow bodies (408), non-JSON bodies
 * (415), over-long path parameters (400, not 414) and impossible or offset-less dates (400).
 */
describe('request limits', () => {
  let app: TestApp;
  let api: Api;
  let t: TenantFixture;

  beforeAll(async () => {
    app = await startTestApp({ REQUEST_TIMEOUT_SECONDS: '2' });
    api = new Api(app.url);
    t = await makeTenant(api, 1);
  });
  afterAll(() => app.close());

  const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> => {
    const started = performance.now();
    const value = await work();
    return { value, ms: performance.now() - started };
  };

  it('refuses an 80,000-key body in under 100 ms while /health/live answers in under 50 ms', async () => {
    const big = JSON.stringify(Object.fromEntries(Array.from({ length: 80_000 }, (_, i) => [`k${i}`, 1])));
    expect(big.length).toBeGreaterThan(800_000);
    expect(big.length).toBeLessThan(1024 * 1024);
    // Warm the connection pool so the measurement is the server's time, not a TCP handshake.
    await api.get('/health/live');
    const post = timed(() => api.req('POST', '/api/v1/auth/login', { raw: big }));
    await new Promise((r) => setTimeout(r, 5));
    const live = await timed(() => fetch(`${app.url}/health/live`).then((r) => r.status));
    const refused = await post;
    expect(refused.value.status).toBe(400);
    expect(refused.value.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/more than 100 keys/) });
    expect(refused.ms).toBeLessThan(100);
    expect(live.value).toBe(200);
    expect(live.ms).toBeLessThan(50);
  });

  it('answers 400 (not 500) to 2,000 nested arrays on a DTO route, without logging a stack', async () => {
    const writes: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown) => (writes.push(String(chunk)), true)) as never);
    try {
      const raw = `{"name":${'['.repeat(2000)}${']'.repeat(2000)}}`;
      const res = await api.req('POST', '/api/v1/drones', { raw, token: t.adminToken });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/nested deeper than 16 levels/) });
    } finally {
      spy.mockRestore();
    }
    expect(writes.join('')).not.toMatch(/RangeError|stack/);
  });

  it('cuts off a slow body with 408', async () => {
    const { port } = new URL(app.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"email":`,
        );
      });
      let data = '';
      socket.setEncoding('utf8').on('data', (d) => (data += d));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
      setTimeout(() => socket.destroy(new Error(`no answer within 8 s; got ${JSON.stringify(data)}`)), 8000);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({
      statusCode: 408,
      error: 'Request Timeout',
      message: expect.any(String),
    });
  }, 15_000);

  it.each([
    ['a form body', 'application/x-www-form-urlencoded', 'name=x'],
    ['a text body', 'text/plain', '{"name":"x"}'],
    ['a multipart body', 'multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--b--'],
  ])('answers 415 to %s on a DTO route and creates nothing', async (_what, type, raw) => {
    const before = (await api.get('/api/v1/drones', t.adminToken)).body.items.length;
    const res = await api.req('POST', '/api/v1/drones', { raw, token: t.adminToken, headers: { 'content-type': type } });
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ statusCode: 415, error: 'Unsupported Media Type', message: 'request body must be application/json' });
    expect((await api.get('/api/v1/drones', t.adminToken)).body.items.length).toBe(before);
  });

  it('answers 400 in the contract shape to a 200-character id, without echoing the path', async () => {
    const id = 'a'.repeat(200);
    const res = await api.get(`/api/v1/drones/${id}`, t.adminToken);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
    expect(JSON.stringify(res.body)).not.toContain(id);
  });

  describe('dates in query parameters', () => {
    const track = (query: string) => api.get(`/api/v1/drones/${t.drones[0].id}/track?${query}`, t.viewerToken);
    it.each([
      ['an impossible day', 'from=2026-02-30T07:00:00Z'],
      ['31 April', 'to=2026-04-31T00:00:00Z'],
      ['29 February of a common year', 'from=2025-02-29T00:00:00Z'],
      ['hour 24', 'from=2026-01-01T24:00:00Z'],
      ['no offset', 'from=2026-03-01T07:00:00'],
      ['a date without time', 'from=2026-03-01'],
    ])('400 for %s', async (_what, query) => {
      const res = await track(query);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/(from|to) must be an ISO-8601 date-time with an offset/);
    });
    it.each([
      ['Z', 'from=2024-02-29T07:00:00Z'],
      ['an offset', 'from=2026-03-01T07:00:00%2B02:00'],
      ['fractions', 'from=2026-03-01T07:00:00.123-05:30'],
    ])('200 with %s', async (_what, query) => {
      expect((await track(query)).status).toBe(200);
    });
  });
});
