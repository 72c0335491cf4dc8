import { jest } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonLogger } from '../../libs/ops/json-logger.js';
import { DEMO_ADMIN, DEMO_FLEET_FILE, DEMO_VIEWER, startDemo, type DemoHandle } from '../../tools/demo/demo.js';
import { BERLIN, cityBbox } from '../../tools/simulator/city.js';
import { Api, startTestApp, waitFor, type TestApp } from '../support/test-app.js';

jest.setTimeout(90_000);

/** DEMO=true: the demo tenant, users and a ~50-drone fleet through the app's own ingest API. */
describe('demo mode', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dt-demo-'));
  const fleetFile = join(dataDir, DEMO_FLEET_FILE);
  const logger = new JsonLogger('error');
  let app: TestApp | null = null;
  let demo: DemoHandle | null = null;

  afterAll(async () => {
    await demo?.stop();
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function login(api: Api, user: { email: string; password: string }): Promise<string> {
    const res = await api.post('/api/v1/auth/login', user);
    expect(res.status).toBe(200);
    return res.body.accessToken;
  }

  async function droneList(api: Api, token: string): Promise<{ id: string; name: string }[]> {
    return (await api.get('/api/v1/drones?limit=500', token)).body.items;
  }

  /** Waits until all 50 drones are on the map with a state newer than `since`. */
  async function fleetOnMap(api: Api, token: string, since: number): Promise<any[]> {
    return waitFor(
      async () => {
        const m = await api.get(`/api/v1/map/drones?bbox=${cityBbox(BERLIN)}`, token);
        const fresh = (m.body.features ?? []).filter((f: any) => Date.parse(f.properties.timestamp) >= since);
        return fresh.length === 50 ? m.body.features : null;
      },
      20_000,
      '50 demo drones reporting on the map',
    );
  }

  it('creates "Demo Air" with the fixed admin and viewer and flies ~50 drones over Berlin', async () => {
    app = await startTestApp({}, dataDir);
    const api = new Api(app.url);
    const since = Date.now();
    demo = await startDemo(app.handle.config, app.url, logger, { banner: false });
    expect(demo.fleet).not.toBeNull();
    expect(demo.drones).toHaveLength(50);

    const admin = await login(api, DEMO_ADMIN);
    const viewer = await login(api, DEMO_VIEWER);
    const me = await api.get('/api/v1/me', viewer);
    expect(me.body).toMatchObject({ role: 'viewer', tenantName: 'Demo Air', tenantId: demo.tenantId });
    expect((await api.get('/api/v1/me', admin)).body.role).toBe('admin');

    const features = await fleetOnMap(api, viewer, since);
    expect(new Set(features.map((f) => f.properties.name)).size).toBe(50);
    expect(features.map((f) => f.properties.name).sort()[0]).toBe('demo-001');
    // Realistic mix: some in the air, all within the city.
    expect(features.filter((f) => f.properties.status !== 'ground').length).toBeGreaterThan(10);

    // The keys are kept for restarts, readable by the owner only.
    expect(statSync(fleetFile).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(fleetFile, 'utf8'));
    expect(saved.tenantId).toBe(demo.tenantId);
    expect(saved.drones).toHaveLength(50);

    const stats = demo.fleet!.stats();
    expect(stats).toMatchObject({ rejected: 0, failedDrones: 0 });
    expect(stats.accepted).toBeGreaterThan(0);
  });

  it('a restart on the same DATA_DIR reuses tenant, users, drones and keys', async () => {
    const before = JSON.parse(readFileSync(fleetFile, 'utf8'));
    const tenantId = demo!.tenantId;
    await demo!.stop();
    await app!.close();

    app = await startTestApp({}, dataDir);
    const api = new Api(app.url);
    const since = Date.now();
    demo = await startDemo(app.handle.config, app.url, logger, { banner: false });
    expect(demo.tenantId).toBe(tenantId);
    expect(JSON.parse(readFileSync(fleetFile, 'utf8'))).toEqual(before); // no new drones, no rotated keys

    const admin = await login(api, DEMO_ADMIN);
    const drones = await droneList(api, admin);
    expect(drones).toHaveLength(50);
    await fleetOnMap(api, admin, since);
    expect(demo.fleet!.stats()).toMatchObject({ rejected: 0, failedDrones: 0 });
  });

  it('with the keys file lost, rotates the keys instead of registering new drones', async () => {
    await demo!.stop();
    rmSync(fleetFile);
    expect(existsSync(fleetFile)).toBe(false);
    const api = new Api(app!.url);
    const admin = await login(api, DEMO_ADMIN);
    const ids = (await droneList(api, admin)).map((d) => d.id).sort();

    const since = Date.now();
    demo = await startDemo(app!.handle.config, app!.url, logger, { banner: false });
    expect(demo.drones.map((d) => d.id).sort()).toEqual(ids);
    expect((await droneList(api, admin)).map((d) => d.id).sort()).toEqual(ids);
    expect(JSON.parse(readFileSync(fleetFile, 'utf8')).drones).toHaveLength(50);
    await fleetOnMap(api, admin, since);
    expect(demo.fleet!.stats()).toMatchObject({ rejected: 0, failedDrones: 0 });
  });

  it('a key rotated behind the demo’s back is rotated again and the drone keeps flying', async () => {
    const api = new Api(app!.url);
    const admin = await login(api, DEMO_ADMIN);
    const target = demo!.drones[0];
    const keyBefore = target.deviceKey;
    const rotated = await api.req('POST', `/api/v1/drones/${target.id}/keys`, { token: admin });
    expect(rotated.status).toBe(201);
    await waitFor(
      async () => {
        const entry = JSON.parse(readFileSync(fleetFile, 'utf8')).drones.find((d: { id: string }) => d.id === target.id);
        return entry.deviceKey !== rotated.body.deviceKey && entry.deviceKey !== keyBefore;
      },
      10_000,
      'the demo to rotate the key again',
    );
    const since = Date.now();
    await waitFor(
      async () => Date.parse((await api.get(`/api/v1/drones/${target.id}`, admin)).body.state.timestamp) > since,
      10_000,
      'new points',
    );
    expect(demo!.fleet!.stats().failedDrones).toBe(0);
  });

  it('stop() stops the fleet: no more requests afterwards', async () => {
    await demo!.stop();
    const s1 = demo!.fleet!.stats();
    await new Promise((r) => setTimeout(r, 1500));
    expect(demo!.fleet!.stats()).toEqual(s1);
    expect(demo!.fleet!.running).toBe(false);
  });
});
