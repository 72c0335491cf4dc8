import { JwtService } from '@nestjs/jwt';
import { openStream, type OpenStream } from '../support/streams.js';
import { Api, makeTenant, startTestApp, type TenantFixture, type TestApp } from '../support/test-app.js';

const JWT_SECRET = 'test-jwt-secret-0123456789-0123456789'; // startTestApp's

describe('map stream limits', () => {
  let app: TestApp;
  let api: Api;
  let t: TenantFixture;

  beforeAll(async () => {
    app = await startTestApp();
    api = new Api(app.url);
    t = await makeTenant(api, 0);
  });
  afterAll(() => app.close());

  it('lets a user hold 10 streams and answers the 11th with 429 in the contract shape', async () => {
    const streams: OpenStream[] = [];
    try {
      for (let i = 0; i < 10; i++) streams.push(await openStream(app.url, t.viewerToken));
      expect(streams.map((s) => s.status)).toEqual(Array(10).fill(200));
      const eleventh = await openStream(app.url, t.viewerToken);
      expect(eleventh.status).toBe(429);
      expect(eleventh.body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: expect.stringMatching(/at most 10 open map streams/),
      });
      // Another user of the tenant is not affected.
      const other = await openStream(app.url, t.adminToken);
      expect(other.status).toBe(200);
      other.close();
      // Closing one frees its place.
      streams.pop()!.close();
      await new Promise((r) => setTimeout(r, 200));
      const again = await openStream(app.url, t.viewerToken);
      expect(again.status).toBe(200);
      streams.push(again);
    } finally {
      for (const s of streams) s.close();
    }
  });

  it('ends a stream when the token that opened it expires', async () => {
    const me = (await api.get('/api/v1/me', t.viewerToken)).body;
    // A token like login's, but expiring in 2 s (JWT_EXPIRES_IN_SECONDS cannot go below 60).
    const token = new JwtService({ secret: JWT_SECRET }).sign(
      { sub: me.id, tid: me.tenantId, role: me.role, email: me.email, ver: 0 },
      { expiresIn: 2, algorithm: 'HS256' },
    );
    const started = Date.now();
    const stream = await openStream(app.url, token);
    expect(stream.status).toBe(200);
    const text = await Promise.race([
      stream.ended,
      new Promise<string>((_, reject) => setTimeout(() => reject(new Error('stream still open 6 s later')), 6000)),
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(text).toMatch(/: closed token-expired/);
    expect((await openStream(app.url, token)).status).toBe(401);
  });
});
