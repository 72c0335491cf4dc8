import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFlightScenario, SCENARIO_FLIGHTS } from '../support/flight-scenario.js';
import { Api, startTestApp, type TestApp } from '../support/test-app.js';

/** The hostile upload scenario in one process (embedded store); test/roles runs it on split roles. */
describe('flight scenario in one process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dt-flight-scenario-'));
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ FLIGHT_GAP_SECONDS: '300' }, dataDir);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ends with the flights the contract defines, and keeps them across a restart', async () => {
    const { flights, ids, token } = await runFlightScenario(new Api(app.url), new Api(app.url));
    expect(flights).toEqual(SCENARIO_FLIGHTS);
    const api = new Api(app.url);
    const before = await Promise.all(ids.map(async (id) => (await api.get(`/api/v1/flights/${id}`, token)).body));
    await app.close();
    app = await startTestApp({ FLIGHT_GAP_SECONDS: '300' }, dataDir);
    const again = new Api(app.url);
    const after = await Promise.all(ids.map(async (id) => (await again.get(`/api/v1/flights/${id}`, token)).body));
    // Stored, not recomputed: the same summaries (ongoing is computed at read time, and false here).
    expect(after).toEqual(before);
  }, 90_000);
});
