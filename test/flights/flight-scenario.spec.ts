import { runFlightScenario, SCENARIO_FLIGHTS } from '../support/flight-scenario.js';
import { Api, startTestApp, type TestApp } from '../support/test-app.js';

/** The hostile upload scenario in one process (embedded store); test/roles runs it on split roles. */
describe('flight scenario in one process', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ FLIGHT_GAP_SECONDS: '300' });
  });
  afterAll(() => app.close());

  it('ends with the flights the contract defines', async () => {
    const api = new Api(app.url);
    const { flights } = await runFlightScenario(api, api);
    expect(flights).toEqual(SCENARIO_FLIGHTS);
  }, 60_000);
});
