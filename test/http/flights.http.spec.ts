import { Api, makeTenant, point, startTestApp, waitFor, type TenantFixture, type TestApp } from '../support/test-app.js';

const S = 1000;

/** GET /flights, /flights/{id} and /flights/{id}/track against the real app (embedded store). */
describe('flights HTTP contract', () => {
  let app: TestApp;
  let api: Api;
  let a: TenantFixture;
  let b: TenantFixture;
  let t0: number;
  const at = (sec: number, extra: Record<string, unknown> = {}) =>
    point({ timestamp: new Date(t0 + sec * S).toISOString(), lat: 52.5 + sec / 1e5, ...extra });
  const send = async (key: string, points: Record<string, unknown>[]) => {
    const res = await api.post('/api/v1/telemetry', { points }, key);
    expect(res.status).toBe(202);
  };
  const flightsOf = async (t: TenantFixture, droneId: string) =>
    (await api.get(`/api/v1/flights?droneId=${droneId}`, t.viewerToken)).body.items as any[];
  const waitForFlights = (t: TenantFixture, droneId: string, n: number, what: string) =>
    waitFor(
      async () => {
        const items = await flightsOf(t, droneId);
        return items.length === n ? items : null;
      },
      10_000,
      what,
    );

  beforeAll(async () => {
    app = await startTestApp({ FLIGHT_GAP_SECONDS: '300' });
    api = new Api(app.url);
    [a, b] = await Promise.all([makeTenant(api, 3), makeTenant(api, 1)]);
    t0 = Date.now() - 2 * 3600 * S;
    // Drone 0: landed flight (take-off by status, landing by status), then a flight still in the air.
    const first = [at(0, { status: 'ground', battery: 99 })];
    for (let s = 10; s <= 600; s += 10)
      first.push(at(s, { battery: 100 - s / 10, altitude: 100 + s / 10, heightAgl: s / 20, speed: s / 60 }));
    first.push(at(610, { status: 'ground' }));
    await send(a.drones[0].deviceKey, first);
    const nowSec = (Date.now() - t0) / S;
    await send(a.drones[0].deviceKey, [at(nowSec - 60), at(nowSec - 30), at(nowSec - 5)]);
    await send(b.drones[0].deviceKey, [at(0), at(10)]);
    await waitForFlights(a, a.drones[0].id, 2, 'two flights');
    await waitForFlights(b, b.drones[0].id, 1, "b's flight");
  });
  afterAll(() => app.close());

  describe('GET /flights', () => {
    it('lists the flights newest first with every Flight field; the newest is ongoing', async () => {
      const items = await flightsOf(a, a.drones[0].id);
      expect(items[1]).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        droneId: a.drones[0].id,
        startedAt: new Date(t0 + 10 * S).toISOString(),
        endedAt: new Date(t0 + 600 * S).toISOString(),
        ongoing: false,
        durationSeconds: 590,
        distanceMeters: expect.any(Number),
        maxAltitude: 160,
        maxHeightAgl: 30,
        maxSpeed: 10,
        batteryStart: 99,
        batteryEnd: 40,
        points: 60,
        bbox: [13.405, 52.5001, 13.405, 52.506],
      });
      expect(items[1].distanceMeters).toBeCloseTo(590 * 1.11195, 0);
      expect(items[0]).toMatchObject({ ongoing: true, points: 3 });
    });

    it("lists only the tenant's flights, and filters by drone", async () => {
      const all = (await api.get('/api/v1/flights', a.viewerToken)).body.items as any[];
      expect(new Set(all.map((f) => f.droneId))).toEqual(new Set([a.drones[0].id]));
      expect((await api.get(`/api/v1/flights?droneId=${a.drones[1].id}`, a.viewerToken)).body).toEqual({ items: [], nextCursor: null });
    });

    it('pages with an opaque cursor, then null', async () => {
      const p1 = await api.get(`/api/v1/flights?droneId=${a.drones[0].id}&limit=1`, a.viewerToken);
      expect(p1.body.items).toHaveLength(1);
      expect(typeof p1.body.nextCursor).toBe('string');
      const p2 = await api.get(`/api/v1/flights?droneId=${a.drones[0].id}&limit=1&cursor=${p1.body.nextCursor}`, a.viewerToken);
      expect(p2.body.items).toHaveLength(1);
      expect(p2.body.items[0].id).not.toBe(p1.body.items[0].id);
      expect(p2.body.nextCursor).toBeNull();
    });

    it('keeps flights overlapping [from, to]', async () => {
      const iso = (sec: number) => encodeURIComponent(new Date(t0 + sec * S).toISOString());
      const q = (from: number, to: number) =>
        api.get(`/api/v1/flights?droneId=${a.drones[0].id}&from=${iso(from)}&to=${iso(to)}`, a.viewerToken);
      expect((await q(300, 400)).body.items).toHaveLength(1);
      expect((await q(600, 600)).body.items).toHaveLength(1);
      expect((await q(601, 1200)).body.items).toHaveLength(0);
      expect((await q(-100, 10)).body.items).toHaveLength(1);
    });

    it.each([
      ['limit=0', /limit must be a whole number from 1 to 500/],
      ['limit=501', /limit must be a whole number from 1 to 500/],
      ['droneId=abc', /droneId must be a UUID/],
      ['from=yesterday', /from must be an ISO-8601/],
      ['from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z', /from must not be after to/],
      ['cursor=abc', /cursor is not valid/],
      ['page=2', /query parameter page is not supported/],
    ])('400 naming the rule for %s', async (qs, message) => {
      const res = await api.get(`/api/v1/flights?${qs}`, a.viewerToken);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.anything() });
      expect([res.body.message].flat().join(' ')).toMatch(message);
    });

    it("404 for another tenant's drone, 401 without a token", async () => {
      const res = await api.get(`/api/v1/flights?droneId=${b.drones[0].id}`, a.viewerToken);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'drone not found' });
      expect((await api.get('/api/v1/flights')).status).toBe(401);
    });
  });

  describe('GET /flights/{id} and /track', () => {
    it('answers one flight and all of its points, ascending', async () => {
      const [, landed] = await flightsOf(a, a.drones[0].id);
      expect((await api.get(`/api/v1/flights/${landed.id}`, a.viewerToken)).body).toEqual(landed);
      const track = await api.get(`/api/v1/flights/${landed.id}/track`, a.viewerToken);
      expect(track.status).toBe(200);
      expect(track.body.flightId).toBe(landed.id);
      expect(track.body.droneId).toBe(a.drones[0].id);
      expect(track.body.points).toHaveLength(60);
      expect(track.body.points[0]).toMatchObject({ timestamp: landed.startedAt, status: 'airborne', battery: 99 });
      expect(track.body.points.at(-1).timestamp).toBe(landed.endedAt);
    });

    it("404 for another tenant's flight and for unknown ids; 400 for malformed ids", async () => {
      const [foreign] = await flightsOf(b, b.drones[0].id);
      for (const path of [
        `/api/v1/flights/${foreign.id}`,
        `/api/v1/flights/${foreign.id}/track`,
        `/api/v1/flights/${foreign.id}/export?format=gpx`,
      ]) {
        const res = await api.get(path, a.viewerToken);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'flight not found' });
      }
      expect((await api.get('/api/v1/flights/7b0c2d6e-1a2b-4c3d-8e9f-0a1b2c3d4e5f', a.viewerToken)).status).toBe(404);
      expect((await api.get('/api/v1/flights/not-an-id', a.viewerToken)).status).toBe(400);
    });
  });

  describe('late and out-of-order points', () => {
    it('a late point bridging two flights merges them; a late ground point splits one again', async () => {
      const key = a.drones[2].deviceKey;
      const id = a.drones[2].id;
      await send(key, [at(1000), at(1100), at(1500), at(1600)]);
      const two = await waitForFlights(a, id, 2, 'two flights before the bridge');
      await send(key, [at(1300)]);
      const merged = await waitForFlights(a, id, 1, 'the merge');
      expect(merged[0]).toMatchObject({ id: two[1].id, points: 5, durationSeconds: 600 });
      await send(key, [at(1350, { status: 'ground' })]);
      const split = await waitForFlights(a, id, 2, 'the split');
      expect(split[1]).toMatchObject({ id: two[1].id, points: 3 });
      expect(split[0]).toMatchObject({ points: 2, startedAt: new Date(t0 + 1500 * S).toISOString() });
      // A duplicate changes nothing.
      await send(key, [at(1300, { altitude: 9999 })]);
      await send(key, [at(1601)]);
      const after = await waitFor(
        async () => {
          const items = await flightsOf(a, id);
          return items[0]?.points === 3 ? items : null;
        },
        10_000,
        'the next point',
      );
      expect(after[1]).toEqual(split[1]);
    });
  });
});
