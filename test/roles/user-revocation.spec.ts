import { describeEachMongoServer } from '../support/mongo-servers.js';
import { mongoDatabaseUrl, testRedisUrl, uniqueName } from '../support/real-servers.js';
import { openStream } from '../support/streams.js';
import { Api, makeTenant, startTestApp, type TenantFixture, type TestApp } from '../support/test-app.js';
import { addUser, refusedWithin } from '../support/users.js';

/**
 * Revocation across replicas: two app instances that share only Redis (role events) and a
 * MongoDB-wire server (users; each test server in turn). A deletion or role change on one stops
 * the user's tokens and streams on the other within 5 seconds: at once through the
 * user.invalidated event, and through the ≤ 2 s user cache and the streams' re-check every
 * 2.5 s on a replica that missed it.
 */
describeEachMongoServer(
  'user revocation across replicas (Redis + MongoDB)',
  (server) => {
    let first: TestApp;
    let second: TestApp;
    let api1: Api;
    let api2: Api;
    let deaf: TestApp;
    let api3: Api;
    let t: TenantFixture;

    beforeAll(async () => {
      const prefix = uniqueName('revoke');
      const env = { REDIS_URL: testRedisUrl!, REDIS_KEY_PREFIX: prefix, MONGO_URL: mongoDatabaseUrl(server.url, prefix) };
      [first, second] = [await startTestApp(env), await startTestApp(env)];
      // Same users, other Redis prefix: it never hears the role events (as if every one were lost).
      deaf = await startTestApp({ ...env, REDIS_KEY_PREFIX: `${prefix}_deaf` });
      [api1, api2, api3] = [new Api(first.url), new Api(second.url), new Api(deaf.url)];
      t = await makeTenant(api1, 0);
    }, 60_000);
    afterAll(async () => {
      await first?.close();
      await second?.close();
      await deaf?.close();
    });

    it("refuses a deleted user's token and ends their stream on the other replica within 5 s", async () => {
      const u = await addUser(api1, t.adminToken, 'viewer');
      expect((await api2.get('/api/v1/drones', u.token)).status).toBe(200); // cached on the second replica
      const stream = await openStream(second.url, u.token);
      expect(stream.status).toBe(200);
      expect((await api1.req('DELETE', `/api/v1/users/${u.id}`, { token: t.adminToken })).status).toBe(204);
      expect(await refusedWithin(api2, u.token)).toBeLessThan(5000);
      const text = await Promise.race([
        stream.ended,
        new Promise<string>((_, r) => setTimeout(() => r(new Error('stream still open after 5 s')), 5000)),
      ]);
      expect(text).toMatch(/closed token-revoked/);
    });

    it("refuses a demoted admin's token on the other replica within 5 s", async () => {
      const u = await addUser(api1, t.adminToken, 'admin');
      expect((await api2.get('/api/v1/users', u.token)).status).toBe(200);
      expect((await api1.req('PATCH', `/api/v1/users/${u.id}`, { token: t.adminToken, body: { role: 'viewer' } })).status).toBe(200);
      expect(await refusedWithin(api2, u.token)).toBeLessThan(5000);
      expect((await api2.get('/api/v1/users', u.token)).status).toBe(401);
    });

    it('still stops the token and the stream within 5 s on a replica that missed the event', async () => {
      const u = await addUser(api1, t.adminToken, 'viewer');
      expect((await api3.get('/api/v1/drones', u.token)).status).toBe(200);
      const stream = await openStream(deaf.url, u.token);
      expect(stream.status).toBe(200);
      expect((await api1.req('DELETE', `/api/v1/users/${u.id}`, { token: t.adminToken })).status).toBe(204);
      expect(await refusedWithin(api3, u.token)).toBeLessThan(5000);
      const text = await Promise.race([
        stream.ended,
        new Promise<string>((_, r) => setTimeout(() => r(new Error('stream still open after 5 s')), 5000)),
      ]);
      expect(text).toMatch(/closed token-revoked/);
    });
  },
  { requires: [testRedisUrl] },
);
