import { ADMIN_TOKEN, Api, makeTenant, point, startTestApp, type TenantFixture, type TestApp } from '../support/test-app.js';

describe('identity HTTP contract', () => {
  let app: TestApp;
  let api: Api;
  let a: TenantFixture;
  let b: TenantFixture;

  beforeAll(async () => {
    app = await startTestApp();
    api = new Api(app.url);
    [a, b] = [await makeTenant(api, 1), await makeTenant(api, 1)];
  });
  afterAll(() => app.close());

  describe('POST /tenants (platform operator)', () => {
    it('201 with id, name, createdAt', async () => {
      const res = await api.post('/api/v1/tenants', { name: 'Acme Drones' }, ADMIN_TOKEN);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.any(String), name: 'Acme Drones', createdAt: expect.stringMatching(/Z$/) });
    });
    it('401 without or with a wrong operator token, including a user token', async () => {
      expect((await api.post('/api/v1/tenants', { name: 'x' })).status).toBe(401);
      expect((await api.post('/api/v1/tenants', { name: 'x' }, 'wrong')).status).toBe(401);
      expect((await api.post('/api/v1/tenants', { name: 'x' }, a.adminToken)).status).toBe(401);
    });
    it.each([
      ['empty name', { name: '' }, /name must be longer than or equal to 1/],
      ['long name', { name: 'x'.repeat(101) }, /name must be shorter than or equal to 100/],
      ['number name', { name: 5 }, /name must be a string/],
      ['missing name', {}, /name/],
      ['unknown field', { name: 'ok', plan: 'gold' }, /property plan should not exist/],
    ])('400 for %s', async (_n, body, message) => {
      const res = await api.post('/api/v1/tenants', body, ADMIN_TOKEN);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('Bad Request');
      expect([].concat(res.body.message).join('\n')).toMatch(message);
    });
    it('400 for a body that is not an object', async () => {
      const res = await api.req('POST', '/api/v1/tenants', { raw: '[1]', token: ADMIN_TOKEN });
      expect(res.status).toBe(400);
    });
  });

  describe('POST /tenants/{id}/users', () => {
    it('201 without echoing the password or a hash; 409 for a taken email in any case', async () => {
      const email = `Someone-${Date.now()}@Example.com`;
      const res = await api.post(`/api/v1/tenants/${a.tenantId}/users`, { email, password: 'longenough', role: 'viewer' }, ADMIN_TOKEN);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.any(String), email: email.toLowerCase(), role: 'viewer', tenantId: a.tenantId });
      expect(JSON.stringify(res.body)).not.toMatch(/longenough|argon|hash/i);
      const again = await api.post(
        `/api/v1/tenants/${b.tenantId}/users`,
        { email: email.toUpperCase(), password: 'longenough', role: 'admin' },
        ADMIN_TOKEN,
      );
      expect(again.status).toBe(409);
      expect(again.body).toEqual({ statusCode: 409, error: 'Conflict', message: expect.stringMatching(/email/) });
    });
    it('404 for a tenant that does not exist, 400 for a malformed id', async () => {
      const body = { email: `x${Date.now()}@example.com`, password: 'longenough', role: 'admin' };
      expect((await api.post('/api/v1/tenants/7b0c2d6e-1a2b-4c3d-8e9f-0a1b2c3d4e5f/users', body, ADMIN_TOKEN)).status).toBe(404);
      expect((await api.post('/api/v1/tenants/not-an-id/users', body, ADMIN_TOKEN)).status).toBe(400);
    });
    it.each([
      ['bad email', { email: 'nope', password: 'longenough', role: 'admin' }, /email must be a valid email/],
      ['short password', { email: 'a@b.co', password: 'short', role: 'admin' }, /password must be longer than or equal to 8/],
      ['long password', { email: 'a@b.co', password: 'x'.repeat(201), role: 'admin' }, /password must be shorter than or equal to 200/],
      ['unknown role', { email: 'a@b.co', password: 'longenough', role: 'owner' }, /role must be one of/],
    ])('400 for %s', async (_n, body, message) => {
      const res = await api.post(`/api/v1/tenants/${a.tenantId}/users`, body, ADMIN_TOKEN);
      expect(res.status).toBe(400);
      expect([].concat(res.body.message).join('\n')).toMatch(message);
    });
  });

  describe('POST /auth/login', () => {
    it('200 with a bearer token that works', async () => {
      const email = `login-${Date.now()}@example.com`;
      await api.post(`/api/v1/tenants/${a.tenantId}/users`, { email, password: 'password123', role: 'viewer' }, ADMIN_TOKEN);
      const res = await api.post('/api/v1/auth/login', { email: email.toUpperCase(), password: 'password123' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 3600 });
      expect((await api.get('/api/v1/drones', res.body.accessToken)).status).toBe(200);
    });
    it('401 for a wrong password or an unknown email; 400 for a malformed body', async () => {
      const wrong = await api.post('/api/v1/auth/login', { email: 'nobody@example.com', password: 'whatever1' });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
      expect((await api.post('/api/v1/auth/login', { email: 'x@example.com' })).status).toBe(400);
    });
    it('401 for a forged or tampered token', async () => {
      const [h, p] = a.viewerToken.split('.');
      expect((await api.get('/api/v1/drones', `${h}.${p}.forged`)).status).toBe(401);
      expect((await api.get('/api/v1/drones', 'garbage')).status).toBe(401);
    });
  });

  describe('drones (tenant admin)', () => {
    it('POST /drones → 201 with the key once; GET never shows it', async () => {
      const res = await api.post('/api/v1/drones', { name: 'Falcon', serialNumber: 'SN-1', model: 'M300' }, a.adminToken);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        name: 'Falcon',
        serialNumber: 'SN-1',
        model: 'M300',
        createdAt: expect.any(String),
        deviceKey: expect.stringMatching(/^dtk_/),
      });
      const get = await api.get(`/api/v1/drones/${res.body.id}`, a.viewerToken);
      expect(get.body).toEqual({
        id: res.body.id,
        name: 'Falcon',
        serialNumber: 'SN-1',
        model: 'M300',
        createdAt: res.body.createdAt,
        state: null,
      });
    });
    it('optional fields default to null', async () => {
      const res = await api.post('/api/v1/drones', { name: 'Bare' }, a.adminToken);
      expect(res.body).toMatchObject({ serialNumber: null, model: null });
    });
    it('403 for viewers on every admin action; 401 without a token', async () => {
      const id = a.drones[0].id;
      expect((await api.post('/api/v1/drones', { name: 'x' }, a.viewerToken)).status).toBe(403);
      expect((await api.post(`/api/v1/drones/${id}/keys`, undefined, a.viewerToken)).status).toBe(403);
      expect((await api.req('DELETE', `/api/v1/drones/${id}`, { token: a.viewerToken })).status).toBe(403);
      expect((await api.post('/api/v1/drones', { name: 'x' })).status).toBe(401);
    });
    it.each([
      ['empty name', { name: '' }],
      ['name too long', { name: 'n'.repeat(101) }],
      ['serial not a string', { name: 'ok', serialNumber: 7 }],
      ['unknown field', { name: 'ok', colour: 'red' }],
    ])('400 for %s', async (_n, body) => {
      expect((await api.post('/api/v1/drones', body, a.adminToken)).status).toBe(400);
    });
  });

  describe("tenant isolation: another tenant's id answers 404", () => {
    it('for every endpoint that takes a drone id', async () => {
      const foreign = b.drones[0].id;
      expect((await api.get(`/api/v1/drones/${foreign}`, a.viewerToken)).status).toBe(404);
      expect((await api.get(`/api/v1/drones/${foreign}/track`, a.viewerToken)).status).toBe(404);
      expect((await api.post(`/api/v1/drones/${foreign}/keys`, undefined, a.adminToken)).status).toBe(404);
      expect((await api.req('DELETE', `/api/v1/drones/${foreign}`, { token: a.adminToken })).status).toBe(404);
      // …and nothing happened to it: its key still works.
      expect((await api.post('/api/v1/telemetry', point(), b.drones[0].deviceKey)).status).toBe(202);
      const list = await api.get('/api/v1/drones?limit=500', a.viewerToken);
      expect(list.body.items.map((d: { id: string }) => d.id)).not.toContain(foreign);
    });
    it('400 for a malformed id', async () => {
      expect((await api.get('/api/v1/drones/123', a.viewerToken)).status).toBe(400);
      expect((await api.post('/api/v1/drones/..%2F/keys', undefined, a.adminToken)).status).toBe(400);
    });
  });

  describe('deletion', () => {
    it('204, then 404 on the drone, key refused, history still readable', async () => {
      const d = await api.post('/api/v1/drones', { name: 'Doomed' }, a.adminToken);
      const ts = new Date(Date.now() - 5000).toISOString();
      expect((await api.post('/api/v1/telemetry', point({ timestamp: ts }), d.body.deviceKey)).status).toBe(202);
      await new Promise((r) => setTimeout(r, 300));
      expect((await api.req('DELETE', `/api/v1/drones/${d.body.id}`, { token: a.adminToken })).status).toBe(204);
      expect((await api.req('DELETE', `/api/v1/drones/${d.body.id}`, { token: a.adminToken })).status).toBe(404);
      expect((await api.get(`/api/v1/drones/${d.body.id}`, a.viewerToken)).status).toBe(404);
      expect((await api.post('/api/v1/telemetry', point(), d.body.deviceKey)).status).toBe(401);
      const track = await api.get(`/api/v1/drones/${d.body.id}/track`, a.viewerToken);
      expect(track.status).toBe(200);
      expect(track.body.points).toHaveLength(1);
      const list = await api.get('/api/v1/drones?limit=500', a.viewerToken);
      expect(list.body.items.map((x: { id: string }) => x.id)).not.toContain(d.body.id);
    });
  });

  describe('users of the tenant (web app helpers)', () => {
    it('GET /me, and admins list and add users of their own tenant only', async () => {
      const me = await api.get('/api/v1/me', a.viewerToken);
      expect(me.body).toMatchObject({ role: 'viewer', tenantId: a.tenantId, tenantName: expect.any(String) });
      const users = await api.get('/api/v1/users', a.adminToken);
      expect(users.status).toBe(200);
      expect(users.body.items.every((u: { tenantId: string }) => u.tenantId === a.tenantId)).toBe(true);
      expect((await api.get('/api/v1/users', a.viewerToken)).status).toBe(403);
      const added = await api.post(
        '/api/v1/users',
        { email: `added-${Date.now()}@example.com`, password: 'password123', role: 'viewer' },
        a.adminToken,
      );
      expect(added.status).toBe(201);
      expect(added.body.tenantId).toBe(a.tenantId);
    });
  });
});
