/**
 * A 10,000-point flight replays at 32× to its 2,000th point, with "follow" off and then on. Printed,
 * not asserted (no timed assertions): the replay's own per-frame step (binary search +
 * interpolation, marker, readout, chart cursors), how often MapLibre redrew the map, and the Long
 * Tasks seen meanwhile (on this machine's software WebGL a map redraw is the usual long task:
 * docs/web.md, "Flight replay"). What is asserted is that the replay ran to the 2,000th point.
 */
import type { Browser } from 'playwright-core';
import { Api, makeTenant, point, startTestApp, TENANT_PASSWORD, waitFor, type TenantFixture, type TestApp } from '../support/test-app.js';
import { chromiumAvailable, ensureWebBuilt, launchChromium, openApp, signIn, type TestPage } from '../support/browser.js';

declare const window: any, document: any, PerformanceObserver: any;

const POINTS = 10_000;
const STEP_MS = 100;

const run = chromiumAvailable() ? describe : describe.skip;

run('replay of a 10,000-point flight', () => {
  let app: TestApp;
  let browser: Browser;
  let t: TenantFixture;
  let tp: TestPage;
  let flightId: string;

  beforeAll(async () => {
    ensureWebBuilt();
    [app, browser] = await Promise.all([startTestApp({ RATE_LIMIT_DEVICE_MAX: '0' }), launchChromium()]);
    const api = new Api(app.url);
    t = await makeTenant(api, 1);
    const t0 = Date.now() - 3 * 3600_000;
    for (let start = 0; start < POINTS; start += 1000) {
      const points = Array.from({ length: 1000 }, (_, k) => {
        const i = start + k;
        const a = (i / POINTS) * 6 * Math.PI;
        return point({
          timestamp: new Date(t0 + i * STEP_MS).toISOString(),
          lat: 52.5 + Math.sin(a) * 0.02,
          lon: 13.4 + Math.cos(a) * 0.03,
          altitude: 100 + (i % 300) / 10,
          battery: 100 - i / 200,
        });
      });
      expect((await api.post('/api/v1/telemetry', { points }, t.drones[0].deviceKey)).status).toBe(202);
    }
    const flights = await waitFor(
      async () => {
        const items = (await api.get(`/api/v1/flights?droneId=${t.drones[0].id}`, t.viewerToken)).body.items;
        return items?.[0]?.points === POINTS ? items : null;
      },
      30_000,
      'the 10,000-point flight',
    );
    flightId = flights[0].id;
    tp = await openApp(browser, app.url);
    await signIn(tp.page, t.viewerEmail, TENANT_PASSWORD);
  }, 180_000);

  afterAll(async () => {
    await tp?.context.close();
    await browser?.close();
    await app?.close();
  });

  /** Plays from the start to the 2,000th point (200 s of flight time at 32×) and collects the figures. */
  async function playRun(follow: boolean): Promise<string> {
    const { page } = tp;
    await page.setChecked('[data-testid=replay-follow]', follow);
    await page.$eval('[data-testid=replay-scrubber]', (el: any) => {
      el.value = '0';
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    });
    // Let the loading work (line upload to the worker, charts, a re-centre) settle; the repaint makes sure 'idle' fires.
    await page.evaluate(
      () =>
        new Promise((r) => {
          const map = (window as any).__dtPerf.app().map.map;
          map.once('idle', r);
          map.triggerRepaint();
        }),
    );
    const start = Number(await page.getAttribute('[data-testid=replay-readout]', 'data-t'));
    const before: number = await page.evaluate(() => {
      const w = window as any;
      w.__longTasks = [];
      w.__renders = 0;
      w.__moves = 0;
      return w.__dtPerf.app().flights.frameStats().length;
    });
    await page.click('[data-testid=replay-play]');
    await page.waitForFunction((min) => Number(document.querySelector('[data-testid=replay-readout]').dataset.t) >= min, start + 200_000, {
      timeout: 60_000,
    });
    await page.click('[data-testid=replay-play]');
    const longTasks: number[] = await page.evaluate(() => (window as any).__longTasks);
    const [renders, moves]: number[] = await page.evaluate(() => [(window as any).__renders, (window as any).__moves]);
    // frameStats keeps the last 1,000–2,000 steps; two runs of a few hundred frames stay under that.
    const steps: number[] = (await page.evaluate(() => (window as any).__dtPerf.app().flights.frameStats())).slice(before);
    const sorted = [...steps].sort((x, y) => x - y);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]?.toFixed(2);
    const line =
      `10,000-point replay at 32x, follow ${follow ? 'on' : 'off'}: ${steps.length} frames, ${moves} map moves, ${renders} map redraws; ` +
      `replay step ms p50 ${q(0.5)} p95 ${q(0.95)} max ${q(1)}; ` +
      `long tasks (> 50 ms, whole main thread incl. MapLibre drawing): ${longTasks.length}, max ${Math.max(0, ...longTasks)} ms`;
    expect(steps.length).toBeGreaterThan(1);
    expect(Number(await page.getAttribute('[data-testid=replay-readout]', 'data-index'))).toBeGreaterThanOrEqual(2000);
    return line;
  }

  it('plays at 32× to the 2,000th point, follow off then on; reports the per-frame cost', async () => {
    const { page } = tp;
    await page.click(`[data-drone-id="${t.drones[0].id}"]`);
    await page.click('[data-testid=open-flight-log]');
    await page.click(`[data-flight-id="${flightId}"]`);
    await page.waitForSelector(`[data-testid=flight-replay][data-flight-id="${flightId}"]:not([hidden])`);
    await page.selectOption('[data-testid=replay-speed]', '32');
    await page.evaluate(() => {
      const w = window as any;
      w.__longTasks = [];
      w.__renders = 0;
      w.__moves = 0;
      new PerformanceObserver((list: any) => {
        for (const e of list.getEntries()) w.__longTasks.push(Math.round(e.duration));
      }).observe({ type: 'longtask' });
      const map = w.__dtPerf.app().map.map;
      map.on('render', () => w.__renders++);
      map.on('move', () => w.__moves++);
    });
    const lines = [await playRun(false), await playRun(true)];
    console.log(lines.join('\n'));
  }, 180_000);
});
