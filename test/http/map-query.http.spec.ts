import { get, type IncomingMessage } from 'node:http';
import { Api, makeTenant, point, readSse, startTestApp, waitFor, type TenantFixture, type TestApp } from '../support/test-app.js';

describe('map-query HTTP contract', () => {
  let app: TestApp;
  let api: Api;
  let a: TenantFixture;
  let b: TenantFixture;

  beforeAll(async () => {
    app = await startTestApp({ OFFLINE_AFTER_SECONDS: '60' });
    api = new Api(app.url);
    a = await makeTenant(api, 5);
    b = await makeTenant(api, 1);
    // a's drones spread over Berlin; b's drone in the same place as a's first.
    const now = Date.now();
    await Promise.all(
      a.drones.map((d, i) =>
        api.post(
          '/api/v1/telemetry',
          point({ timestamp: now - 1000, lat: 52.5 + i * 0.01, lon: 13.4 + i * 0.01, battery: i === 1 ? 15 : 80 }),
          d.deviceKey,
        ),
      ),
    );
    await api.post('/api/v1/telemetry', point({ timestamp: now - 1000, lat: 52.5, lon: 13.4 }), b.drones[0].deviceKey);
    await waitFor(async () => (await api.get('/api/v1/map/drones', a.viewerToken)).body.features?.length === 5, 10_000, 'map to fill');
  });
  afterAll(() => app.close());

  describe('GET /drones', () => {
    it('pages through every drone once with nextCursor, then null', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { status: number; body: any } = await api.get(
          `/api/v1/drones?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          a.viewerToken,
        );
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items.map((d: { id: string }) => d.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual(a.drones.map((d) => d.id).sort());
    });
    it('items carry their latest state', async () => {
      const res = await api.get('/api/v1/drones?limit=500', a.viewerToken);
      const low = res.body.items.find((d: { id: string }) => d.id === a.drones[1].id);
      expect(low.state).toMatchObject({ battery: 15, lowBattery: true, online: true, status: 'airborne' });
    });
    it.each(['0', '501', 'ten', '1.5', '-1'])('400 for limit=%s', async (limit) => {
      const res = await api.get(`/api/v1/drones?limit=${limit}`, a.viewerToken);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/limit must be a whole number from 1 to 500/);
    });
    it('400 for a forged cursor and for unknown parameters', async () => {
      expect((await api.get('/api/v1/drones?cursor=abc', a.viewerToken)).status).toBe(400);
      expect((await api.get('/api/v1/drones?page=2', a.viewerToken)).status).toBe(400);
    });
    it('401 without a token', async () => {
      expect((await api.get('/api/v1/drones')).status).toBe(401);
    });
  });

  describe('GET /drones/{id}', () => {
    it('200 with the State fields', async () => {
      const res = await api.get(`/api/v1/drones/${a.drones[0].id}`, a.viewerToken);
      expect(res.status).toBe(200);
      expect(res.body.state).toEqual({
        timestamp: expect.stringMatching(/Z$/),
        lat: 52.5,
        lon: 13.4,
        altitude: 100,
        speed: 10,
        heading: 90,
        battery: 80,
        status: 'airborne',
        online: true,
        lowBattery: false,
        lastSeenAt: expect.stringMatching(/Z$/),
      });
    });
    it('404 for an unknown id', async () => {
      const res = await api.get('/api/v1/drones/7b0c2d6e-1a2b-4c3d-8e9f-0a1b2c3d4e5f', a.viewerToken);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'drone not found' });
    });
  });

  describe('GET /drones/{id}/track', () => {
    const base = Date.parse('2024-06-01T10:00:00Z');
    beforeAll(async () => {
      const points = Array.from({ length: 10 }, (_, i) => point({ timestamp: base + (9 - i) * 1000, lat: 50 + i / 100 }));
      await api.post('/api/v1/telemetry', { points }, a.drones[3].deviceKey);
      await waitFor(
        async () =>
          (await api.get(`/api/v1/drones/${a.drones[3].id}/track?from=2024-06-01T00:00:00Z&to=2024-06-02T00:00:00Z`, a.viewerToken)).body
            .points?.length === 10,
      );
    });
    const q = (s: string) => api.get(`/api/v1/drones/${a.drones[3].id}/track?${s}`, a.viewerToken);

    it('points in ascending timestamp within from..to, limited', async () => {
      const all = await q('from=2024-06-01T00:00:00Z&to=2024-06-02T00:00:00Z');
      expect(all.body.droneId).toBe(a.drones[3].id);
      const stamps = all.body.points.map((p: { timestamp: string }) => p.timestamp);
      expect(stamps).toEqual([...stamps].sort());
      const window = await q('from=2024-06-01T10:00:02Z&to=2024-06-01T10:00:05Z');
      expect(window.body.points).toHaveLength(4);
      const limited = await q('from=2024-06-01T00:00:00Z&to=2024-06-02T00:00:00Z&limit=3');
      expect(limited.body.points.map((p: { timestamp: string }) => p.timestamp)).toEqual(stamps.slice(0, 3));
    });
    it('concurrent, stalled, aborted and repeated reads of long tracks each get their own points', async () => {
      // Batches are stored as blocks, which a read decompresses into memory lent to its response
      // until the response is over: no read may see bytes of another, nor lose memory to a client
      // that stalls, leaves or asks for the headers only.
      const day = Date.parse('2024-07-01T00:00:00Z');
      const drones = [a.drones[0], a.drones[1]];
      for (const [k, d] of drones.entries()) {
        for (let batch = 0; batch < 10; batch++) {
          const points = Array.from({ length: 1000 }, (_, i) => {
            const n = batch * 1000 + i;
            return point({ timestamp: day + n * 1000, lat: 40 + k + n / 1e6 });
          });
          expect((await api.post('/api/v1/telemetry', { points }, d.deviceKey)).status).toBe(202);
        }
      }
      const path = (d: { id: string }) => `/api/v1/drones/${d.id}/track?from=2024-07-01T00:00:00Z&to=2024-07-02T00:00:00Z&limit=10000`;
      const headers = { authorization: `Bearer ${a.viewerToken}` };
      const read = async (d: { id: string }) => (await fetch(`${app.url}${path(d)}`, { headers })).text();
      await waitFor(async () => (JSON.parse(await read(drones[1])).points?.length ?? 0) === 10_000, 20_000, 'tracks stored');
      const want = await Promise.all(drones.map((d) => read(d)));
      expect(JSON.parse(want[1]).points[9999].lat).toBe(41 + 9999 / 1e6);

      // A client that stops reading after the first bytes, while others read the other drone.
      const stalled = await new Promise<IncomingMessage>((resolve, reject) =>
        get(`${app.url}${path(drones[0])}`, { headers }, (res) => {
          res.pause();
          resolve(res);
        }).on('error', reject),
      );
      for (let i = 0; i < 4; i++) expect(await read(drones[1])).toBe(want[1]);
      const chunks: Buffer[] = [];
      stalled.on('data', (c: Buffer) => chunks.push(c));
      await new Promise((resolve) => stalled.on('end', resolve).resume());
      expect(Buffer.concat(chunks).toString()).toBe(want[0]);

      const together = await Promise.all(Array.from({ length: 12 }, (_, i) => read(drones[i % 2])));
      together.forEach((text, i) => expect(text).toBe(want[i % 2]));
      // Clients that leave after the headers, and a HEAD: their memory comes back, later reads are intact.
      for (let i = 0; i < 12; i++) {
        const gone = new AbortController();
        const res = await fetch(`${app.url}${path(drones[i % 2])}`, { headers, signal: gone.signal });
        expect(res.status).toBe(200);
        gone.abort();
      }
      expect((await fetch(`${app.url}${path(drones[0])}`, { method: 'HEAD', headers })).status).toBe(200);
      const after = await Promise.all(Array.from({ length: 12 }, (_, i) => read(drones[i % 2])));
      after.forEach((text, i) => expect(text).toBe(want[i % 2]));
    });

    it('defaults to the last hour', async () => {
      const recent = (await q('')).body.points;
      expect(recent).toHaveLength(1);
      expect(Date.parse(recent[0].timestamp)).toBeGreaterThan(Date.now() - 3_600_000);
    });
    it.each([
      ['from=yesterday', /from must be an ISO-8601/],
      ['to=2024-13-45T00:00:00Z', /to must be an ISO-8601/],
      ['from=2024-06-02T00:00:00Z&to=2024-06-01T00:00:00Z', /from must not be after to/],
      ['limit=10001', /limit must be a whole number from 1 to 10000/],
      ['limit=0', /limit/],
    ])('400 for %s', async (s, message) => {
      const res = await q(s);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
    });
  });

  describe('GET /map/drones', () => {
    it("a FeatureCollection of the tenant's drones in the box", async () => {
      const res = await api.get('/api/v1/map/drones?bbox=13.39,52.49,13.415,52.515', a.viewerToken);
      expect(res.status).toBe(200);
      expect(res.body.type).toBe('FeatureCollection');
      expect(res.body.truncated).toBe(false);
      const ids = res.body.features.map((f: { id: string }) => f.id).sort();
      expect(ids).toEqual([a.drones[0].id, a.drones[1].id].sort());
      const f = res.body.features.find((x: { id: string }) => x.id === a.drones[0].id);
      expect(f).toEqual({
        type: 'Feature',
        id: a.drones[0].id,
        geometry: { type: 'Point', coordinates: [13.4, 52.5] },
        properties: expect.objectContaining({
          name: 'drone 0',
          lat: 52.5,
          lon: 13.4,
          battery: 80,
          online: true,
          lowBattery: false,
          status: 'airborne',
        }),
      });
    });
    it("never shows another tenant's drones", async () => {
      const res = await api.get('/api/v1/map/drones?bbox=-180,-90,180,90', b.viewerToken);
      expect(res.body.features.map((f: { id: string }) => f.id)).toEqual([b.drones[0].id]);
    });
    it('limit truncates', async () => {
      const res = await api.get('/api/v1/map/drones?bbox=-180,-90,180,90&limit=2', a.viewerToken);
      expect(res.body.features).toHaveLength(2);
      expect(res.body.truncated).toBe(true);
    });
    it.each([
      ['1,2,3', /four comma-separated/],
      ['1,2,3,4,5', /four comma-separated/],
      ['a,b,c,d', /decimal numbers/],
      ['-181,0,0,10', /longitudes must be between -180 and 180/],
      ['0,-91,10,10', /latitudes must be between -90 and 90/],
      ['10,0,0,10', /min values must not exceed max/],
    ])('400 for bbox=%s', async (bbox, message) => {
      const res = await api.get(`/api/v1/map/drones?bbox=${bbox}`, a.viewerToken);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
    });
    it('400 for a bad limit', async () => {
      expect((await api.get('/api/v1/map/drones?limit=10001', a.viewerToken)).status).toBe(400);
    });
  });

  describe('GET /map/stream', () => {
    it("delivers an event per state change in the box, only to the drone's tenant", async () => {
      const box = 'bbox=13,52,14,53';
      const foreign = readSse(`${app.url}/api/v1/map/stream?${box}&access_token=${b.viewerToken}`, 1, 1500).catch(() => []);
      const events = await readSse(`${app.url}/api/v1/map/stream?${box}&access_token=${a.viewerToken}`, 1, 10_000, async () => {
        await new Promise((r) => setTimeout(r, 200));
        // One outside the box (not delivered), then one inside.
        await api.post('/api/v1/telemetry', point({ lat: 40, lon: 2 }), a.drones[4].deviceKey);
        await api.post('/api/v1/telemetry', point({ timestamp: new Date().toISOString(), lat: 52.6, lon: 13.6 }), a.drones[2].deviceKey);
      });
      expect(events).toHaveLength(1);
      expect(events[0].event).toBe('drone');
      expect(events[0].data).toMatchObject({ type: 'Feature', id: a.drones[2].id, geometry: { type: 'Point', coordinates: [13.6, 52.6] } });
      expect(events[0].data.properties).toMatchObject({ name: 'drone 2', lat: 52.6, lon: 13.6 });
      expect(await foreign).toEqual([]);
    });
    it('401 without a token, 400 for a bad box', async () => {
      expect((await fetch(`${app.url}/api/v1/map/stream`)).status).toBe(401);
      const bad = await fetch(`${app.url}/api/v1/map/stream?bbox=1,2&access_token=${a.viewerToken}`);
      expect(bad.status).toBe(400);
    });
  });
});

describe('map stream: going offline is a state change', () => {
  let app: TestApp;
  afterAll(() => app?.close());

  it('announces a drone with online: false once nothing arrived for OFFLINE_AFTER_SECONDS', async () => {
    app = await startTestApp({ OFFLINE_AFTER_SECONDS: '1' });
    const api = new Api(app.url);
    const t = await makeTenant(api, 1);
    const events = await readSse(
      `${app.url}/api/v1/map/stream?access_token=${t.viewerToken}`,
      2,
      10_000,
      async () => {
        await new Promise((r) => setTimeout(r, 200));
        await api.post('/api/v1/telemetry', point({ lat: 1, lon: 1 }), t.drones[0].deviceKey);
        const live = await waitFor(async () => (await api.get('/api/v1/map/drones', t.viewerToken)).body.features[0], 5_000, 'the map');
        expect(live.properties.online).toBe(true);
      },
      (e) => e.event === 'drone',
    ); // the offline alert (event: alert) comes on the same stream
    expect(events.map((e) => [e.event, e.data.id, e.data.properties.online])).toEqual([
      ['drone', t.drones[0].id, true],
      ['drone', t.drones[0].id, false],
    ]);
    const detail = await api.get(`/api/v1/drones/${t.drones[0].id}`, t.viewerToken);
    expect(detail.body.state.online).toBe(false);
    // The map's memoised Feature JSON follows the flip too.
    expect((await api.get('/api/v1/map/drones', t.viewerToken)).body.features[0].properties.online).toBe(false);
  });
});
