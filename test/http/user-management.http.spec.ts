import { addUser, refusedWithin } from '../support/users.js';
import { ADMIN_TOKEN, Api, makeTenant, startTestApp, TENANT_PASSWORD, type TenantFixture, type TestApp } from '../support/test-app.js';
import { openStream } from '../support/streams.js';

describe('user management (tenant admins)', () => {
  let app: TestApp;
  let api: Api;
  let t: TenantFixture;
  let other: TenantFixture;

  beforeAll(async () => {
    app = await startTestApp();
    api = new Api(app.url);
    [t, other] = [await makeTenant(api, 0), await makeTenant(api, 0)];
  });
  afterAll(() => app.close());

  it("GET /users lists the tenant's users only; viewers get 403", async () => {
    const res = await api.get('/api/v1/users', t.adminToken);
    expect(res.status).toBe(200);
    expect(res.body.items.map((u: { email: string }) => u.email).sort()).toEqual([t.adminEmail, t.viewerEmail].sort());
    expect(res.body.items[0]).toEqual({
      id: expect.any(String),
      email: expect.any(String),
      role: expect.stringMatching(/admin|viewer/),
      tenantId: t.tenantId,
    });
    expect((await api.get('/api/v1/users', t.viewerToken)).status).toBe(403);
  });

  it('POST /users answers 409 for an email of another tenant without naming the tenant', async () => {
    const res = await api.post(
      '/api/v1/users',
      { email: other.viewerEmail.toUpperCase(), password: 'longenough', role: 'viewer' },
      t.adminToken,
    );
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ statusCode: 409, error: 'Conflict', message: expect.stringMatching(/email/) });
    expect(JSON.stringify(res.body)).not.toMatch(/tenant|exists/i);
    expect(JSON.stringify(res.body)).not.toContain(other.tenantId);
  });

  it('PATCH /users/{id} changes the role (200 User); the old token stops within 5 s, a new login has the new rights', async () => {
    const u = await addUser(api, t.adminToken, 'admin');
    expect((await api.get('/api/v1/users', u.token)).status).toBe(200);
    const res = await api.req('PATCH', `/api/v1/users/${u.id}`, { token: t.adminToken, body: { role: 'viewer' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: u.id, email: u.email, role: 'viewer', tenantId: t.tenantId });
    expect(await refusedWithin(api, u.token)).toBeLessThan(5000);
    expect(
      (await api.post('/api/v1/users', { email: `x${Date.now()}@example.com`, password: 'longenough', role: 'admin' }, u.token)).status,
    ).toBe(401);
    const fresh = (await api.post('/api/v1/auth/login', { email: u.email, password: TENANT_PASSWORD })).body.accessToken;
    expect((await api.get('/api/v1/drones', fresh)).status).toBe(200);
    expect((await api.get('/api/v1/users', fresh)).status).toBe(403);
  });

  it('DELETE /users/{id} answers 204; the token and the open stream stop within 5 s; the login fails', async () => {
    const u = await addUser(api, t.adminToken, 'viewer');
    const stream = await openStream(app.url, u.token);
    expect(stream.status).toBe(200);
    const res = await api.req('DELETE', `/api/v1/users/${u.id}`, { token: t.adminToken });
    expect(res.status).toBe(204);
    expect(await refusedWithin(api, u.token)).toBeLessThan(5000);
    const text = await Promise.race([
      stream.ended,
      new Promise<string>((_, r) => setTimeout(() => r(new Error('stream still open after 5 s')), 5000)),
    ]);
    expect(text).toMatch(/closed token-revoked/);
    expect((await api.post('/api/v1/auth/login', { email: u.email, password: TENANT_PASSWORD })).status).toBe(401);
    expect((await api.req('DELETE', `/api/v1/users/${u.id}`, { token: t.adminToken })).status).toBe(404);
  });

  it('protects the last admin from deletion and demotion (409)', async () => {
    const solo = await makeTenant(api, 0);
    const admin = (await api.get('/api/v1/me', solo.adminToken)).body;
    const del = await api.req('DELETE', `/api/v1/users/${admin.id}`, { token: solo.adminToken });
    expect(del.status).toBe(409);
    expect(del.body).toEqual({ statusCode: 409, error: 'Conflict', message: expect.stringMatching(/last admin/) });
    expect((await api.req('PATCH', `/api/v1/users/${admin.id}`, { token: solo.adminToken, body: { role: 'viewer' } })).status).toBe(409);
    expect((await api.get('/api/v1/users', solo.adminToken)).status).toBe(200);
    // With a second admin, the first may go.
    const second = await addUser(api, solo.adminToken, 'admin');
    expect((await api.req('PATCH', `/api/v1/users/${admin.id}`, { token: second.token, body: { role: 'viewer' } })).status).toBe(200);
    expect((await api.req('DELETE', `/api/v1/users/${second.id}`, { token: second.token })).status).toBe(409);
  });

  it("answers 404 for another tenant's user, 400 for a malformed id or role, 403 for viewers", async () => {
    const foreign = (await api.get('/api/v1/me', other.viewerToken)).body.id;
    expect((await api.req('PATCH', `/api/v1/users/${foreign}`, { token: t.adminToken, body: { role: 'admin' } })).status).toBe(404);
    expect((await api.req('DELETE', `/api/v1/users/${foreign}`, { token: t.adminToken })).status).toBe(404);
    expect((await api.get('/api/v1/me', other.viewerToken)).status).toBe(200);
    expect((await api.req('PATCH', '/api/v1/users/not-an-id', { token: t.adminToken, body: { role: 'admin' } })).status).toBe(400);
    const bad = await api.req('PATCH', `/api/v1/users/${foreign}`, { token: t.adminToken, body: { role: 'owner' } });
    expect(bad.status).toBe(400);
    expect([].concat(bad.body.message).join()).toMatch(/role must be one of/);
    expect((await api.req('DELETE', `/api/v1/users/${foreign}`, { token: t.viewerToken })).status).toBe(403);
    expect((await api.req('DELETE', `/api/v1/users/${foreign}`, { token: ADMIN_TOKEN })).status).toBe(401);
  });
});
