import { newId } from '../../libs/core/index.js';
import { keepOut, square } from '../support/geo-fixtures.js';
import { Api, makeTenant, startTestApp, type TenantFixture, type TestApp } from '../support/test-app.js';

describe('geofences HTTP contract', () => {
  let app: TestApp;
  let api: Api;
  let a: TenantFixture;
  let b: TenantFixture;
  const patch = (path: string, body: unknown, token: string) => api.req('PATCH', path, { body, token });
  const del = (path: string, token: string) => api.req('DELETE', path, { token });

  beforeAll(async () => {
    app = await startTestApp({ RATE_LIMIT_USER_MAX: '0' });
    api = new Api(app.url);
    [a, b] = await Promise.all([makeTenant(api, 2), makeTenant(api, 1)]);
  });
  afterAll(() => app.close());

  describe('POST /geofences', () => {
    it('creates with defaults and answers the Geofence', async () => {
      const res = await api.post('/api/v1/geofences', keepOut(), a.adminToken);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        name: 'airport',
        rule: 'keep-out',
        geometry: square(13.4, 52.5),
        floor: null,
        ceiling: null,
        altitudeReference: 'agl',
        droneIds: null,
        active: true,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
    });

    it('keeps every optional field', async () => {
      const body = keepOut({
        rule: 'keep-in',
        floor: 10,
        ceiling: 120,
        altitudeReference: 'wgs84',
        droneIds: [a.drones[0].id],
        active: false,
      });
      const res = await api.post('/api/v1/geofences', body, a.adminToken);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        rule: 'keep-in',
        floor: 10,
        ceiling: 120,
        altitudeReference: 'wgs84',
        droneIds: [a.drones[0].id],
        active: false,
      });
    });

    it('accepts a MultiPolygon with a hole', async () => {
      const outer = square(13.4, 52.5, 0.02).coordinates[0];
      const hole = square(13.4, 52.5, 0.005).coordinates[0].reverse();
      const geometry = { type: 'MultiPolygon', coordinates: [[outer, hole], square(13.5, 52.6).coordinates] };
      expect((await api.post('/api/v1/geofences', keepOut({ geometry }), a.adminToken)).status).toBe(201);
    });

    const ring = square(13.4, 52.5).coordinates[0];
    const invalid: [string, Record<string, unknown>, RegExp][] = [
      ['missing name', { name: undefined }, /name is required/],
      ['empty name', { name: '' }, /name must be a string of 1 to 100/],
      ['long name', { name: 'x'.repeat(101) }, /name must be a string of 1 to 100/],
      ['bad rule', { rule: 'stay-away' }, /rule must be "keep-out" or "keep-in"/],
      ['missing geometry', { geometry: undefined }, /geometry is required/],
      ['Point geometry', { geometry: { type: 'Point', coordinates: [13, 52] } }, /geometry.type must be "Polygon" or "MultiPolygon"/],
      ['open ring', { geometry: { type: 'Polygon', coordinates: [ring.slice(0, 4)] } }, /must be closed/],
      ['short ring', { geometry: { type: 'Polygon', coordinates: [[ring[0], ring[1], ring[0]]] } }, /at least 4 positions/],
      [
        'longitude out of range',
        {
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [200, 0],
                [201, 0],
                [201, 1],
                [200, 0],
              ],
            ],
          },
        },
        /longitude must be between -180 and 180/,
      ],
      [
        'latitude out of range',
        {
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 95],
                [1, 95],
                [1, 96],
                [0, 95],
              ],
            ],
          },
        },
        /latitude must be between -90 and 90/,
      ],
      [
        'position not numbers',
        {
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                ['a', 1],
                [1, 1],
                [1, 2],
                ['a', 1],
              ],
            ],
          },
        },
        /must be a \[lon, lat\] position/,
      ],
      ['empty coordinates', { geometry: { type: 'Polygon', coordinates: [] } }, /non-empty array of linear rings/],
      ['floor not a number', { floor: 'low' }, /floor must be a number/],
      ['ceiling out of range', { ceiling: 1e9 }, /ceiling must be a number of metres from -500 to 20000/],
      ['floor not below ceiling', { floor: 100, ceiling: 100 }, /floor must be lower than ceiling/],
      ['bad altitudeReference', { altitudeReference: 'msl' }, /altitudeReference must be "agl" or "wgs84"/],
      ['empty droneIds', { droneIds: [] }, /droneIds must be an array of 1 to 1000/],
      ['droneIds not ids', { droneIds: ['nope'] }, /droneIds must contain only drone ids/],
      ['unknown drone id', { droneIds: [newId()] }, /droneIds must name drones of this tenant/],
      ['bad active', { active: 'yes' }, /active must be true or false/],
      ['unknown field', { color: 'red' }, /color is not a geofence field/],
    ];
    it.each(invalid)('400 for %s, naming the field and rule', async (_what, overrides, message) => {
      const body = keepOut(overrides);
      for (const k of Object.keys(overrides)) if (overrides[k] === undefined) delete body[k];
      const res = await api.post('/api/v1/geofences', body, a.adminToken);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.anything() });
      expect([res.body.message].flat().join('\n')).toMatch(message);
    });

    it('400 for a drone of another tenant (never 404)', async () => {
      const res = await api.post('/api/v1/geofences', keepOut({ droneIds: [b.drones[0].id] }), a.adminToken);
      expect(res.status).toBe(400);
      expect(String(res.body.message)).toMatch(/droneIds must name drones of this tenant/);
    });

    it('400 for more than 10,000 positions in all', async () => {
      const big = Array.from({ length: 10_001 }, (_, i) => [
        13 + Math.cos((i / 10_000) * 2 * Math.PI) * 0.1,
        52 + Math.sin((i / 10_000) * 2 * Math.PI) * 0.1,
      ]);
      big[big.length - 1] = big[0];
      const res = await api.post('/api/v1/geofences', keepOut({ geometry: { type: 'Polygon', coordinates: [big] } }), a.adminToken);
      expect(res.status).toBe(400);
      expect(String(res.body.message)).toMatch(/at most 10000 positions/);
    });

    it('400 for a body that is not an object', async () => {
      expect((await api.req('POST', '/api/v1/geofences', { raw: '[1]', token: a.adminToken })).status).toBe(400);
    });

    it('403 for a viewer, 401 without a token', async () => {
      expect((await api.post('/api/v1/geofences', keepOut(), a.viewerToken)).status).toBe(403);
      expect((await api.post('/api/v1/geofences', keepOut())).status).toBe(401);
    });
  });

  describe('GET, PATCH, DELETE', () => {
    let id: string;
    beforeAll(async () => {
      id = (await api.post('/api/v1/geofences', keepOut({ name: 'park' }), a.adminToken)).body.id;
    });

    it('any user of the tenant reads it, alone and in pages', async () => {
      const one = await api.get(`/api/v1/geofences/${id}`, a.viewerToken);
      expect(one.status).toBe(200);
      expect(one.body.name).toBe('park');
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { status: number; body: any } = await api.get(
          `/api/v1/geofences?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          a.viewerToken,
        );
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((g: { id: string }) => g.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toContain(id);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('another tenant gets 404 on every route', async () => {
      expect((await api.get(`/api/v1/geofences/${id}`, b.adminToken)).status).toBe(404);
      expect((await patch(`/api/v1/geofences/${id}`, { name: 'x' }, b.adminToken)).status).toBe(404);
      expect((await del(`/api/v1/geofences/${id}`, b.adminToken)).status).toBe(404);
      const list = await api.get('/api/v1/geofences?limit=500', b.adminToken);
      expect(list.body.items.map((g: { id: string }) => g.id)).not.toContain(id);
    });

    it('400 for a malformed id, limit or cursor; unknown query parameters', async () => {
      expect((await api.get('/api/v1/geofences/nope', a.viewerToken)).status).toBe(400);
      expect((await api.get('/api/v1/geofences?limit=0', a.viewerToken)).status).toBe(400);
      expect((await api.get('/api/v1/geofences?cursor=zzz', a.viewerToken)).status).toBe(400);
      expect((await api.get('/api/v1/geofences?color=red', a.viewerToken)).status).toBe(400);
    });

    it('PATCH changes the given fields only and keeps floor < ceiling over the merged result', async () => {
      const res = await patch(`/api/v1/geofences/${id}`, { ceiling: 50, altitudeReference: 'wgs84' }, a.adminToken);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'park', ceiling: 50, altitudeReference: 'wgs84', floor: null });
      expect(Date.parse(res.body.updatedAt)).toBeGreaterThan(Date.parse(res.body.createdAt) - 1);
      const bad = await patch(`/api/v1/geofences/${id}`, { floor: 60 }, a.adminToken);
      expect(bad.status).toBe(400);
      expect(String(bad.body.message)).toMatch(/floor must be lower than ceiling/);
      expect((await patch(`/api/v1/geofences/${id}`, { rule: 'nope' }, a.adminToken)).status).toBe(400);
      expect((await patch(`/api/v1/geofences/${id}`, { name: 'x' }, a.viewerToken)).status).toBe(403);
    });

    it('DELETE answers 204, then 404', async () => {
      expect((await del(`/api/v1/geofences/${id}`, a.viewerToken)).status).toBe(403);
      expect((await del(`/api/v1/geofences/${id}`, a.adminToken)).status).toBe(204);
      expect((await api.get(`/api/v1/geofences/${id}`, a.adminToken)).status).toBe(404);
      expect((await del(`/api/v1/geofences/${id}`, a.adminToken)).status).toBe(404);
    });
  });

  it('a tenant holds at most 1,000 geofences (409 beyond)', async () => {
    const t = await makeTenant(api, 0);
    for (let i = 0; i < 1000; i += 50) {
      const batch = Array.from({ length: 50 }, (_, j) => api.post('/api/v1/geofences', keepOut({ name: `g${i + j}` }), t.adminToken));
      for (const r of await Promise.all(batch)) expect(r.status).toBe(201);
    }
    const res = await api.post('/api/v1/geofences', keepOut(), t.adminToken);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ statusCode: 409, error: 'Conflict', message: expect.stringMatching(/at most 1000 geofences/) });
  }, 120_000);
});
