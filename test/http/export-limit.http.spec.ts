import { Api, makeTenant, point, startTestApp, waitFor, type TenantFixture, type TestApp } from '../support/test-app.js';

const TOTAL = 100_001;
const BATCH = 1000;

/** The 100,000-point limit of an export: exactly the limit streams, one more is a 400. */
describe('export size limit', () => {
  let app: TestApp;
  let api: Api;
  let t: TenantFixture;
  let t0: number;
  const iso = (i: number) => encodeURIComponent(new Date(t0 + i * 100).toISOString());

  beforeAll(async () => {
    app = await startTestApp({ RATE_LIMIT_DEVICE_MAX: '0' });
    api = new Api(app.url);
    t = await makeTenant(api, 1);
    t0 = Date.now() - 3 * 3600_000;
    for (let start = 0; start < TOTAL; start += BATCH) {
      const points = [];
      for (let i = start; i < Math.min(TOTAL, start + BATCH); i++) {
        points.push(
          point({
            timestamp: new Date(t0 + i * 100).toISOString(),
            lat: 52.5 + (i % 1000) * 1e-5,
            lon: 13.4 + Math.floor(i / 1000) * 1e-5,
          }),
        );
      }
      const res = await api.post('/api/v1/telemetry', { points }, t.drones[0].deviceKey);
      expect(res.status).toBe(202);
    }
    await waitFor(
      async () =>
        (await api.get(`/api/v1/flights?droneId=${t.drones[0].id}&from=${iso(-1)}`, t.viewerToken)).body.items?.[0]?.points === TOTAL,
      120_000,
      'all points in the flight',
    );
  }, 180_000);
  afterAll(() => app.close());

  it('streams exactly 100,000 points', async () => {
    const res = await fetch(`${app.url}/api/v1/drones/${t.drones[0].id}/track/export?format=csv&from=${iso(0)}&to=${iso(TOTAL - 2)}`, {
      headers: { authorization: `Bearer ${t.viewerToken}` },
    });
    expect(res.status).toBe(200);
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines).toHaveLength(100_001);
    expect(lines[1]).toMatch(new RegExp(`^${new Date(t0).toISOString()},`));
  }, 60_000);

  it('refuses 100,001 points with a 400 naming the limit', async () => {
    const track = await api.get(`/api/v1/drones/${t.drones[0].id}/track/export?format=gpx&from=${iso(0)}&to=${iso(TOTAL)}`, t.viewerToken);
    expect(track.status).toBe(400);
    expect(track.body.message).toMatch(/at most 100000/);
    const [flight] = (await api.get(`/api/v1/flights?droneId=${t.drones[0].id}&from=${iso(-1)}`, t.viewerToken)).body.items;
    const res = await api.get(`/api/v1/flights/${flight.id}/export?format=kml`, t.viewerToken);
    expect(res.status).toBe(400);
  }, 60_000);
});
