import { gpx, kml } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import { parse as parseCsv } from 'csv-parse/sync';
import { Api, makeTenant, point, startTestApp, waitFor, type TenantFixture, type TestApp } from '../support/test-app.js';

const S = 1000;
const NAME = `Fly <&> "Co" 'n' ]]> ü`;
const CSV_HEADER = 'timestamp,lat,lon,altitude,heightAgl,speed,verticalSpeed,heading,battery,status,accuracy';

/**
 * Export files parsed back by real parsers and compared point by point with the JSON track.
 * The drone's name carries XML's special characters.
 */
describe('export HTTP contract', () => {
  let app: TestApp;
  let api: Api;
  let t: TenantFixture;
  let droneId: string;
  let flightId: string;
  let track: any[];
  let t0: number;

  const download = async (path: string, token = t.viewerToken) => {
    const res = await fetch(app.url + path, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const xml = (text: string) => new DOMParser().parseFromString(text, 'text/xml') as unknown as Parameters<typeof gpx>[0];
  const window = () =>
    `from=${encodeURIComponent(new Date(t0 - S).toISOString())}&to=${encodeURIComponent(new Date(t0 + 100 * S).toISOString())}`;

  beforeAll(async () => {
    app = await startTestApp();
    api = new Api(app.url);
    t = await makeTenant(api, 0);
    const created = await api.post('/api/v1/drones', { name: NAME }, t.adminToken);
    expect(created.status).toBe(201);
    droneId = created.body.id;
    t0 = Date.now() - 3600 * S;
    // Optional fields come and go, so empty cells and 2-D positions are exercised too.
    const points = Array.from({ length: 40 }, (_, i) => {
      const p = point({
        timestamp: new Date(t0 + i * 2 * S).toISOString(),
        lat: 52.5 + i * 1e-4,
        lon: 13.4 - i * 1e-4,
        altitude: 100.5 + i,
        heightAgl: 20 + i,
        verticalSpeed: 0.5,
        accuracy: 3,
      });
      if (i % 5 === 3) delete p.altitude;
      if (i % 7 === 2) delete p.battery;
      return p;
    });
    expect((await api.post('/api/v1/telemetry', { points }, created.body.deviceKey)).status).toBe(202);
    const flights = await waitFor(
      async () => {
        const items = (await api.get(`/api/v1/flights?droneId=${droneId}`, t.viewerToken)).body.items;
        return items?.[0]?.points === 40 ? items : null;
      },
      10_000,
      'the flight',
    );
    flightId = flights[0].id;
    track = (await api.get(`/api/v1/flights/${flightId}/track`, t.viewerToken)).body.points;
    expect(track).toHaveLength(40);
  });
  afterAll(() => app.close());

  const sources = () => [
    ['flight', `/api/v1/flights/${flightId}/export`, '&'],
    ['drone track', `/api/v1/drones/${droneId}/track/export`, `&${window()}&`],
  ];

  describe.each(['flight', 'drone track'])('%s export', (kind) => {
    const url = (format: string) => {
      const [, path, extra] = sources().find(([k]) => k === kind)!;
      return `${path}?format=${format}${extra === '&' ? '' : extra.slice(0, -1)}`;
    };

    it('gpx: GPX 1.1 with ele and time per trkpt; the name round-trips', async () => {
      const res = await download(url('gpx'));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/gpx\+xml/);
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[^"]+\.gpx"$/);
      expect(res.text).toContain('version="1.1"');
      const fc = gpx(xml(res.text));
      expect(fc.features).toHaveLength(1);
      const f = fc.features[0] as any;
      expect(f.properties.name).toContain(NAME);
      expect(f.geometry.type).toBe('LineString');
      expect(f.geometry.coordinates).toHaveLength(track.length);
      track.forEach((p, i) => {
        const c = f.geometry.coordinates[i];
        expect([c[0], c[1]]).toEqual([p.lon, p.lat]);
        if (p.altitude !== undefined) expect(c[2]).toBe(p.altitude);
        expect(f.properties.coordinateProperties.times[i]).toBe(p.timestamp);
      });
    });

    it('kml: KML 2.2, a LineString at absolute altitudes; the name round-trips', async () => {
      const res = await download(url('kml'));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/vnd\.google-earth\.kml\+xml/);
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[^"]+\.kml"$/);
      expect(res.text).toContain('<altitudeMode>absolute</altitudeMode>');
      const fc = kml(xml(res.text));
      const f = fc.features[0] as any;
      expect(f.properties.name).toContain(NAME);
      expect(f.geometry.type).toBe('LineString');
      expect(f.geometry.coordinates).toHaveLength(track.length);
      track.forEach((p, i) => {
        const c = f.geometry.coordinates[i];
        expect([c[0], c[1]]).toEqual([p.lon, p.lat]);
        if (p.altitude !== undefined) expect(c[2]).toBe(p.altitude);
      });
    });

    it('csv: the contract header, one row per point, empty cells for missing values', async () => {
      const res = await download(url('csv'));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[^"]+\.csv"$/);
      expect(res.text.split(/\r?\n/)[0]).toBe(CSV_HEADER);
      const rows = parseCsv(res.text, { columns: true }) as Record<string, string>[];
      expect(rows).toHaveLength(track.length);
      track.forEach((p, i) => {
        for (const column of CSV_HEADER.split(',')) {
          const expected = p[column] === undefined ? '' : String(p[column]);
          expect(`${column}=${rows[i][column]}`).toBe(`${column}=${expected}`);
        }
      });
    });

    it('geojson: a FeatureCollection with one LineString feature', async () => {
      const res = await download(url('geojson'));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[^"]+\.geojson"$/);
      const fc = JSON.parse(res.text);
      expect(fc.type).toBe('FeatureCollection');
      expect(fc.features).toHaveLength(1);
      expect(fc.features[0].properties.name).toContain(NAME);
      expect(fc.features[0].geometry.coordinates).toEqual(
        track.map((p) => (p.altitude === undefined ? [p.lon, p.lat] : [p.lon, p.lat, p.altitude])),
      );
    });

    it.each([['format=xlsx'], ['']])('400 for an unknown or missing format (%s)', async (qs) => {
      const [, path] = sources().find(([k]) => k === kind)!;
      const res = await api.get(`${path}?${qs}`, t.viewerToken);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/format .*gpx, kml, csv, geojson/);
    });
  });

  it('accepts the token as access_token, so a plain link downloads', async () => {
    const res = await fetch(`${app.url}/api/v1/flights/${flightId}/export?format=gpx&access_token=${t.viewerToken}`);
    expect(res.status).toBe(200);
  });

  it("404 for another tenant's drone; 400 for bad dates and unknown parameters", async () => {
    const other = await makeTenant(api, 0);
    expect((await api.get(`/api/v1/drones/${droneId}/track/export?format=csv`, other.viewerToken)).status).toBe(404);
    expect((await api.get(`/api/v1/flights/${flightId}/export?format=csv`, other.viewerToken)).status).toBe(404);
    expect((await api.get(`/api/v1/drones/${droneId}/track/export?format=csv&from=soon`, t.viewerToken)).status).toBe(400);
    expect((await api.get(`/api/v1/drones/${droneId}/track/export?format=csv&pretty=1`, t.viewerToken)).status).toBe(400);
  });
});
