import { JsonLogger } from '../../libs/ops/json-logger.js';
import { openStream } from '../support/streams.js';
import { Api, makeTenant, point, startTestApp, type TestApp } from '../support/test-app.js';

describe('security headers and log hygiene', () => {
  let app: TestApp;
  let api: Api;
  const lines: string[] = [];

  beforeAll(async () => {
    app = await startTestApp(
      { LOG_LEVEL: 'debug', MAP_TILE_URL: 'https://{s}.tiles.example.org/{z}/{x}/{y}.png' },
      undefined,
      new JsonLogger('debug', {}, (l) => lines.push(l)),
    );
    api = new Api(app.url);
  });
  afterAll(() => app.close());

  it.each(['/', '/health/live', '/api/v1/drones', '/api/docs'])('sends nosniff, no framing and a CSP on %s', async (path) => {
    const res = await fetch(app.url + path);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toMatch(/img-src 'self' data: blob: https:\/\/\*\.tiles\.example\.org/);
    expect(csp).toMatch(/connect-src 'self' https:\/\/\*\.tiles\.example\.org/);
  });

  it('answers a drone with nosniff but without the browser-only headers', async () => {
    const t = await makeTenant(api, 1);
    const res = await fetch(`${app.url}/api/v1/telemetry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.drones[0].deviceKey}` },
      body: JSON.stringify(point()),
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBeNull();
    expect(res.headers.get('x-frame-options')).toBeNull();
    // Its errors are the API's, from the same filter as every route.
    const refused = await fetch(`${app.url}/api/v1/telemetry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.stringContaining('device key') });
  });

  it('never writes an access token from a stream URL into the debug log', async () => {
    const t = await makeTenant(api, 0);
    const stream = await openStream(app.url, t.viewerToken);
    expect(stream.status).toBe(200);
    stream.close();
    expect((await fetch(`${app.url}/api/v1/map/stream?access_token=${t.adminToken}x`)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    const log = lines.join('\n');
    expect(log).toContain('/api/v1/map/stream?access_token=[redacted]');
    expect(log).not.toContain(t.viewerToken);
    expect(log).not.toContain(t.adminToken);
  });
});
