import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEachMongoServer } from '../support/mongo-servers.js';
import { mongoDatabaseUrl, testRedisUrl, uniqueName } from '../support/real-servers.js';
import { Api, makeTenant, point, readSse, startTestApp, waitFor } from '../support/test-app.js';

/**
 * The whole flow through one process: operator → tenant and users → drones → telemetry → queue →
 * processing → store and cache → queries and the live stream; then a restart keeps everything.
 */
async function wholeFlow(env: Record<string, string>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dt-e2e-'));
  let app = await startTestApp(env, dataDir);
  let api = new Api(app.url);
  const t = await makeTenant(api, 3);
  const other = await makeTenant(api, 1);
  const start = Date.now() - 60_000;

  // A batch per drone: a short flight heading north-east.
  for (const [i, d] of t.drones.entries()) {
    const points = Array.from({ length: 50 }, (_, k) =>
      point({ timestamp: start + k * 1000, lat: 48.85 + i * 0.01 + k * 0.0001, lon: 2.35 + k * 0.0001, battery: 90 - k * 0.2 }),
    );
    const res = await api.post('/api/v1/telemetry', { points }, d.deviceKey);
    expect(res.body).toEqual({ accepted: 50, duplicates: 0, rejected: [] });
  }
  await api.post('/api/v1/telemetry', point({ lat: 48.85, lon: 2.35 }), other.drones[0].deviceKey);

  const map = await waitFor(
    async () => {
      const r = await api.get('/api/v1/map/drones?bbox=2,48,3,49', t.viewerToken);
      return r.body.features?.length === 3 && r.body.features.every((f: any) => f.properties.battery === 90 - 49 * 0.2) ? r.body : null;
    },
    15_000,
    'all drones on the map at their last point',
  );
  expect(map.features.map((f: { id: string }) => f.id).sort()).toEqual(t.drones.map((d) => d.id).sort());

  const track = await api.get(`/api/v1/drones/${t.drones[0].id}/track?from=${new Date(start - 1).toISOString()}`, t.viewerToken);
  expect(track.body.points).toHaveLength(50);

  const events = await readSse(`${app.url}/api/v1/map/stream?bbox=2,48,3,49&access_token=${t.viewerToken}`, 1, 10_000, async () => {
    await new Promise((r) => setTimeout(r, 300));
    await api.post('/api/v1/telemetry', point({ lat: 48.9, lon: 2.4 }), t.drones[1].deviceKey);
  });
  expect(events[0].data.id).toBe(t.drones[1].id);

  const detail = await api.get(`/api/v1/drones/${t.drones[1].id}`, t.viewerToken);
  expect(detail.body.state).toMatchObject({ lat: 48.9, lon: 2.4, online: true });

  // Restart: the same data (embedded: DATA_DIR; servers: Redis + MongoDB) serves the same answers.
  await app.close();
  app = await startTestApp(env, dataDir);
  api = new Api(app.url);
  try {
    const after = await api.get(`/api/v1/drones/${t.drones[1].id}`, t.viewerToken);
    expect(after.status).toBe(200);
    expect(after.body.state).toMatchObject({ lat: 48.9, lon: 2.4 });
    const again = await api.get(`/api/v1/drones/${t.drones[0].id}/track?from=${new Date(start - 1).toISOString()}`, t.viewerToken);
    expect(again.body.points).toHaveLength(50);
    const mapAfter = await api.get('/api/v1/map/drones?bbox=2,48,3,49', t.viewerToken);
    expect(mapAfter.body.features).toHaveLength(3);
    // The key still works after a restart, and a resent point is still stored once.
    const resend = await api.post('/api/v1/telemetry', point({ timestamp: start, lat: 48.85, lon: 2.35 }), t.drones[0].deviceKey);
    expect(resend.status).toBe(202);
    await new Promise((r) => setTimeout(r, 500));
    const once = await api.get(`/api/v1/drones/${t.drones[0].id}/track?from=${new Date(start - 1).toISOString()}`, t.viewerToken);
    expect(once.body.points).toHaveLength(50);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('end to end on the embedded defaults (no Redis, no MongoDB)', () => {
  it('runs the whole flow and survives a restart', () => wholeFlow({}), 60_000);
});

describeEachMongoServer(
  'end to end on Redis (Bull, cache, events) + MongoDB',
  (server) => {
    it('runs the whole flow and survives a restart', async () => {
      const prefix = uniqueName('e2e');
      await wholeFlow({
        REDIS_URL: testRedisUrl!,
        REDIS_KEY_PREFIX: prefix,
        MONGO_URL: mongoDatabaseUrl(server.url, prefix),
      });
    }, 90_000);
  },
  { requires: [testRedisUrl] },
);
