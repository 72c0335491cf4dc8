import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BERLIN, cityBbox } from '../../tools/simulator/city.js';
import { runSimulator, type CliResult } from '../../tools/simulator/cli.js';
import { ADMIN_TOKEN, Api, makeTenant, startTestApp, waitFor, type TestApp } from '../support/test-app.js';

/** The simulator end to end against the real app: registration, ingest, processing, map and tracks. */
describe('simulator against the real app', () => {
  let app: TestApp;
  let api: Api;
  let dir: string;
  const email = 'sim-int@example.com';
  const password = 'sim-int-password';
  let first: CliResult;

  beforeAll(async () => {
    app = await startTestApp();
    api = new Api(app.url);
    dir = mkdtempSync(join(tmpdir(), 'dt-sim-'));
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(args: string[]): Promise<{ res: CliResult; stderr: string }> {
    const err: string[] = [];
    const res = await runSimulator(args, { stdout: () => undefined, stderr: (s) => err.push(s), env: {} });
    return { res, stderr: err.join('') };
  }

  async function trackPoints(token: string, ids: string[]): Promise<number> {
    let total = 0;
    for (const id of ids) {
      const t = await api.get(`/api/v1/drones/${id}/track?limit=10000`, token);
      total += t.body.points.length;
    }
    return total;
  }

  it('single points: creates tenant and admin, registers 5 drones, flies them 3 s at 5 Hz with nothing rejected', async () => {
    const { res, stderr } = await run([
      '--url',
      app.url,
      '--admin-token',
      ADMIN_TOKEN,
      '--email',
      email,
      '--password',
      password,
      '--tenant',
      'Simulator integration',
      '--drones',
      '5',
      '--rate',
      '5',
      '--duration',
      '3',
      '--seed',
      '7',
      '--save-keys',
      join(dir, 'keys.json'),
    ]);
    expect(res.code).toBe(0);
    first = res;
    const s = res.stats!;
    expect(s).toMatchObject({ drones: 5, failedDrones: 0, rejected: 0, errors: 0, rateLimited: 0, dropped: 0, queued: 0 });
    expect(s.sampled).toBeGreaterThanOrEqual(5 * 5 * 3 - 5);
    expect(s.accepted).toBe(s.sampled);
    expect(s.requests).toBe(s.sampled); // one point per request
    expect(res.drones.map((d) => d.name)).toEqual(['sim-001', 'sim-002', 'sim-003', 'sim-004', 'sim-005']);
    // Progress every second on stderr, then a summary.
    expect(stderr.match(/\| accepted \d+ \| duplicates \d+ \| rejected 0 \| 429s 0 \| errors 0 \|/g)!.length).toBeGreaterThanOrEqual(3);
    expect(stderr).toMatch(/simulate: done — \d+ samples/);

    const token = (await api.post('/api/v1/auth/login', { email, password })).body.accessToken as string;
    expect(token).toBeTruthy();
    const map = await waitFor(
      async () => {
        const m = await api.get(`/api/v1/map/drones?bbox=${cityBbox(BERLIN)}`, token);
        return m.body.features?.length === 5 ? m.body : null;
      },
      10_000,
      'the 5 drones on the map',
    );
    expect(map.features.map((f: any) => f.properties.name).sort()).toEqual(res.drones.map((d) => d.name));
    for (const f of map.features) {
      expect(['ground', 'airborne', 'emergency']).toContain(f.properties.status);
      expect(f.properties.online).toBe(true);
    }
    const ids = res.drones.map((d) => d.id!);
    await waitFor(async () => (await trackPoints(token, ids)) === s.accepted, 10_000, 'every accepted point in the tracks');
  });

  it('batch mode: the same drones from --keys, 5 points per request, nothing rejected', async () => {
    const { res } = await run([
      '--url',
      app.url,
      '--keys',
      join(dir, 'keys.json'),
      '--rate',
      '5',
      '--batch',
      '5',
      '--duration',
      '3',
      '--seed',
      '8',
    ]);
    expect(res.code).toBe(0);
    const s = res.stats!;
    expect(s).toMatchObject({ drones: 5, failedDrones: 0, rejected: 0, errors: 0, rateLimited: 0, dropped: 0 });
    expect(s.accepted).toBe(s.sampled);
    // ~3 batches per drone plus each drone's flushed remainder.
    expect(s.requests).toBeLessThanOrEqual(Math.ceil(s.sampled / 5) + 5);
    expect(s.requests).toBeGreaterThanOrEqual(Math.floor(s.sampled / 5));

    const token = (await api.post('/api/v1/auth/login', { email, password })).body.accessToken as string;
    const ids = res.drones.map((d) => d.id!);
    await waitFor(async () => (await trackPoints(token, ids)) === first.stats!.accepted + s.accepted, 10_000, 'both runs in the tracks');
  });

  it('a tight device rate limit: 429s are waited out per drone, nothing is rejected', async () => {
    const limited = await startTestApp({ RATE_LIMIT_DEVICE_MAX: '2', RATE_LIMIT_DEVICE_WINDOW_SECONDS: '1' });
    try {
      const t = await makeTenant(new Api(limited.url), 2);
      const keys = join(dir, 'limited.json');
      writeFileSync(keys, JSON.stringify(t.drones.map((d, i) => ({ ...d, name: `lim-${i}` }))));
      const { res, stderr } = await run(['--url', limited.url, '--keys', keys, '--rate', '5', '--duration', '2', '--seed', '9']);
      expect(res.code).toBe(0);
      const s = res.stats!;
      expect(s.rateLimited).toBeGreaterThan(0);
      expect(s).toMatchObject({ rejected: 0, errors: 0, failedDrones: 0 });
      expect(s.accepted).toBeGreaterThan(0);
      expect(s.accepted + s.duplicates + s.dropped).toBe(s.sampled);
      expect(stderr).toMatch(/rate limited; waiting as told by Retry-After/);
    } finally {
      await limited.close();
    }
  });
});
