import { keepOut, square } from '../support/geo-fixtures.js';
import { SseStream } from '../roles/support/sse.js';
import { describeWith, testMongoUrl, testRedisUrl } from '../support/real-servers.js';
import { oneProcess, splitRoles, type Deployment } from '../support/split-app.js';
import { Api, makeTenant, point, waitFor, type TenantFixture } from '../support/test-app.js';

/** Alert lifecycles through the real app, in one process and in split roles: points in, alerts out. */
alertsContract('one process (embedded)', oneProcess, describe);
alertsContract('split roles (ingest, processor, web on Redis + MongoDB server)', splitRoles, describeWith(testRedisUrl && testMongoUrl));

function alertsContract(name: string, deploy: (env: Record<string, string>) => Promise<Deployment>, suite: jest.Describe): void {
  suite(`alerts HTTP contract: ${name}`, () => {
    let app: Deployment;
    let api: Api;
    let ingest: Api;
    let a: TenantFixture;
    let b: TenantFixture;
    let clock = Date.now() - 10 * 60_000;
    const send = async (droneIndex: number, overrides: Record<string, unknown>, t = a) => {
      clock += 1000;
      const res = await ingest.post(
        '/api/v1/telemetry',
        point({ timestamp: clock, heightAgl: undefined, ...overrides }),
        t.drones[droneIndex].deviceKey,
      );
      expect(res.status).toBe(202);
      return clock;
    };
    const alerts = async (query: string, token = a.viewerToken) => {
      const res = await api.get(`/api/v1/alerts?${query}`, token);
      expect(res.status).toBe(200);
      return res.body.items as any[];
    };
    const waitAlert = (query: string, what: string) => waitFor(async () => (await alerts(query))[0], 10_000, what);
    const drone = (i: number) => a.drones[i].id;

    beforeAll(async () => {
      app = await deploy({ OFFLINE_AFTER_SECONDS: '2', RATE_LIMIT_USER_MAX: '0', RATE_LIMIT_DEVICE_MAX: '0' });
      api = new Api(app.webUrl);
      ingest = new Api(app.ingestUrl);
      [a, b] = await Promise.all([makeTenant(api, 8), makeTenant(api, 1)]);
    });
    afterAll(() => app.close(), 60_000);

    it('low_battery opens below 20 and resolves only at 25 or more (hysteresis)', async () => {
      await send(0, { battery: 15 });
      const open = await waitAlert(`type=low_battery&droneId=${drone(0)}`, 'low battery alert');
      expect(open).toMatchObject({
        type: 'low_battery',
        droneId: drone(0),
        geofenceId: null,
        state: 'open',
        resolvedAt: null,
        acknowledgedAt: null,
        acknowledgedBy: null,
      });
      expect(open.position).toEqual({ timestamp: new Date(clock).toISOString(), lat: 52.52, lon: 13.405, altitude: 100, heightAgl: null });
      expect(typeof open.message).toBe('string');
      await send(0, { battery: 22 });
      await send(0, { battery: 10, status: 'emergency' });
      await waitAlert(`type=emergency&droneId=${drone(0)}`, 'emergency alert (sync point)');
      expect(await alerts(`type=low_battery&droneId=${drone(0)}&state=all`)).toHaveLength(1);
      await send(0, { battery: 25, status: 'airborne' });
      const resolved = await waitAlert(`type=low_battery&droneId=${drone(0)}&state=resolved`, 'low battery resolved');
      expect(resolved.id).toBe(open.id);
      expect(resolved.resolvedAt).toEqual(expect.any(String));
      await waitAlert(`type=emergency&droneId=${drone(0)}&state=resolved`, 'emergency resolved by another status');
    });

    it('a point older than the drone state opens and resolves nothing', async () => {
      const t = await send(1, { battery: 80 });
      await ingest.post('/api/v1/telemetry', point({ timestamp: t - 500, battery: 5 }), a.drones[1].deviceKey);
      await send(1, { status: 'emergency' });
      await waitAlert(`type=emergency&droneId=${drone(1)}`, 'sync point');
      expect(await alerts(`type=low_battery&droneId=${drone(1)}&state=all`)).toHaveLength(0);
    });

    describe('geofences', () => {
      it('keep-out: inside opens, outside resolves; deleting the geofence resolves its alert', async () => {
        const g = (await api.post('/api/v1/geofences', keepOut({ geometry: square(10, 50), droneIds: [drone(2)] }), a.adminToken)).body;
        await send(2, { lon: 10, lat: 50 });
        const open = await waitAlert(`type=geofence&droneId=${drone(2)}`, 'geofence alert');
        expect(open.geofenceId).toBe(g.id);
        await send(2, { lon: 11, lat: 50 });
        await waitAlert(`type=geofence&droneId=${drone(2)}&state=resolved`, 'resolved outside');
        await send(2, { lon: 10, lat: 50 });
        const again = await waitFor(
          async () => (await alerts(`type=geofence&droneId=${drone(2)}`)).find((x) => x.id !== open.id),
          10_000,
          'second alert',
        );
        expect((await api.req('DELETE', `/api/v1/geofences/${g.id}`, { token: a.adminToken })).status).toBe(204);
        await waitFor(
          async () => (await api.get(`/api/v1/alerts/${again.id}`, a.viewerToken)).body.state === 'resolved',
          10_000,
          'resolved by delete',
        );
      });

      it('keep-out: a segment crossing the geometry between two fixes outside it violates', async () => {
        await api.post('/api/v1/geofences', keepOut({ geometry: square(20, 40, 0.01), droneIds: [drone(3)] }), a.adminToken);
        await send(3, { lon: 19.9, lat: 40 });
        await send(3, { lon: 20.1, lat: 40 });
        const alert = await waitAlert(`type=geofence&droneId=${drone(3)}`, 'crossing alert');
        expect(alert.position).toMatchObject({ lon: 20.1, lat: 40 });
        // The geofence no longer applies to the drone: its alert resolves.
        const res = await api.req('PATCH', `/api/v1/geofences/${alert.geofenceId}`, {
          body: { droneIds: [drone(0)] },
          token: a.adminToken,
        });
        expect(res.status).toBe(200);
        await waitFor(
          async () => (await api.get(`/api/v1/alerts/${alert.id}`, a.viewerToken)).body.state === 'resolved',
          10_000,
          'resolved when droneIds change',
        );
      });

      it('the altitude band: heightAgl outside it does not violate, inside does, missing counts as inside', async () => {
        const g = (
          await api.post(
            '/api/v1/geofences',
            keepOut({ geometry: square(30, 40), floor: 0, ceiling: 100, droneIds: [drone(4)] }),
            a.adminToken,
          )
        ).body;
        await send(4, { lon: 30, lat: 40, heightAgl: 150 });
        await send(4, { lon: 30, lat: 40, heightAgl: 150, status: 'emergency' });
        await waitAlert(`type=emergency&droneId=${drone(4)}`, 'sync point');
        expect(await alerts(`type=geofence&droneId=${drone(4)}&state=all`)).toHaveLength(0);
        await send(4, { lon: 30, lat: 40, heightAgl: 50 });
        expect((await waitAlert(`type=geofence&droneId=${drone(4)}`, 'in band')).geofenceId).toBe(g.id);
        await send(4, { lon: 30, lat: 40, heightAgl: 500 });
        await waitAlert(`type=geofence&droneId=${drone(4)}&state=resolved`, 'above the band');
        await send(4, { lon: 30, lat: 40 });
        await waitFor(async () => (await alerts(`type=geofence&droneId=${drone(4)}`)).length === 1, 10_000, 'no height: inside the band');
      });

      it('wgs84 band compares altitude; keep-in violates outside; deactivating resolves', async () => {
        const g = (
          await api.post(
            '/api/v1/geofences',
            {
              name: 'field',
              rule: 'keep-in',
              geometry: square(40, 40),
              floor: 0,
              ceiling: 200,
              altitudeReference: 'wgs84',
              droneIds: [drone(5)],
            },
            a.adminToken,
          )
        ).body;
        await send(5, { lon: 40, lat: 40, altitude: 100 });
        await send(5, { lon: 40, lat: 40, altitude: 300 });
        const alert = await waitAlert(`type=geofence&droneId=${drone(5)}`, 'keep-in above the band');
        expect(alert.geofenceId).toBe(g.id);
        const res = await api.req('PATCH', `/api/v1/geofences/${g.id}`, { body: { active: false }, token: a.adminToken });
        expect(res.status).toBe(200);
        await waitFor(
          async () => (await api.get(`/api/v1/alerts/${alert.id}`, a.viewerToken)).body.state === 'resolved',
          10_000,
          'resolved by deactivation',
        );
      });
    });

    it('offline opens once per silence and any point, even a late one, resolves it', async () => {
      const t = await send(6, { battery: 90 });
      const open = await waitAlert(`type=offline&droneId=${drone(6)}`, 'offline alert');
      expect(open.position.timestamp).toBe(new Date(t).toISOString());
      await ingest.post('/api/v1/telemetry', point({ timestamp: t - 5000 }), a.drones[6].deviceKey);
      await waitFor(
        async () => (await api.get(`/api/v1/alerts/${open.id}`, a.viewerToken)).body.state === 'resolved',
        10_000,
        'resolved by a late point',
      );
      const all = await alerts(`type=offline&droneId=${drone(6)}&state=all`);
      expect(all.filter((x) => x.state === 'open').length).toBeLessThanOrEqual(1);
    });

    it('ack: any user, once; the stream sends event: alert on open and ack whatever its bbox; other tenants 404', async () => {
      const stream = await SseStream.open(`${app.webUrl}/api/v1/map/stream?bbox=0,0,1,1&access_token=${a.viewerToken}`);
      try {
        await send(7, { status: 'emergency', lon: 100, lat: 10 });
        const alert = await waitAlert(`type=emergency&droneId=${drone(7)}`, 'emergency');
        const ack = await api.post(`/api/v1/alerts/${alert.id}/ack`, undefined, a.viewerToken);
        expect(ack.status).toBe(200);
        expect(ack.body.acknowledgedAt).toEqual(expect.any(String));
        const again = await api.post(`/api/v1/alerts/${alert.id}/ack`, undefined, a.adminToken);
        expect(again.body).toEqual(ack.body);
        expect((await api.post(`/api/v1/alerts/${alert.id}/ack`, undefined, b.adminToken)).status).toBe(404);
        expect((await api.get(`/api/v1/alerts/${alert.id}`, b.adminToken)).status).toBe(404);
        await stream.waitFor(
          (e) => e.event === 'alert' && e.data.id === alert.id && e.data.acknowledgedAt !== null,
          10_000,
          'the ack on the stream',
        );
        const mine = stream.events.filter((e) => e.event === 'alert' && e.data.id === alert.id);
        expect(mine.map((e) => e.data.acknowledgedAt === null)).toEqual([true, false]);
        expect(stream.events.some((e) => e.event === 'drone')).toBe(false);
      } finally {
        stream.close();
      }
    });

    it('lists newest first with filters and pages; bad parameters are 400', async () => {
      const all = await alerts('state=all&limit=500');
      const opened = all.map((x) => Date.parse(x.openedAt));
      expect([...opened].sort((x, y) => y - x)).toEqual(opened);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: any = await api.get(`/api/v1/alerts?state=all&limit=3${cursor ? `&cursor=${cursor}` : ''}`, a.viewerToken);
        seen.push(...res.body.items.map((x: any) => x.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.map((x) => x.id));
      expect(await alerts('state=all&from=2999-01-01T00:00:00Z')).toHaveLength(0);
      expect(await alerts('state=all', b.viewerToken)).toHaveLength(0);
      for (const q of [
        'state=closed',
        'type=fire',
        'droneId=x',
        'from=yesterday',
        'limit=501',
        'cursor=!!',
        'color=red',
        'from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z',
      ]) {
        const res = await api.get(`/api/v1/alerts?${q}`, a.viewerToken);
        expect([q, res.status]).toEqual([q, 400]);
        expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.anything() });
      }
      expect((await api.get('/api/v1/alerts/nope', a.viewerToken)).status).toBe(400);
      expect((await api.get('/api/v1/alerts')).status).toBe(401);
    });
  });
}
