/**
 * Geofences and alerts in the web app (headless Chromium, real backend): an admin draws a
 * keep-out polygon on the map, a drone flies into it, the alert appears live in the panel and is
 * acknowledged; a viewer sees geofence and alert but gets no geofence controls.
 */
import type { Browser, Page } from 'playwright-core';
import { Api, makeTenant, point, startTestApp, TENANT_PASSWORD, type TenantFixture, type TestApp } from '../support/test-app.js';
import { chromiumAvailable, ensureWebBuilt, launchChromium, openApp, signIn, type TestPage } from '../support/browser.js';

declare const window: any, document: any;

const CENTRE: [number, number] = [13.45, 52.52];
const D = 0.01;

const run = chromiumAvailable() ? describe : describe.skip;

run('geofences and alerts in the web app', () => {
  let app: TestApp;
  let api: Api;
  let t: TenantFixture;
  let browser: Browser;
  const pages: TestPage[] = [];

  beforeAll(async () => {
    ensureWebBuilt();
    [app, browser] = await Promise.all([startTestApp({ OFFLINE_AFTER_SECONDS: '600' }), launchChromium()]);
    api = new Api(app.url);
    t = await makeTenant(api, 1);
    expect(
      (await api.post('/api/v1/telemetry', point({ lon: 13.4, lat: 52.52, timestamp: Date.now() - 2000 }), t.drones[0].deviceKey)).status,
    ).toBe(202);
  }, 120_000);

  afterAll(async () => {
    for (const p of pages) await p.context.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });

  /** Centres the map on the test area and returns the page pixel of a lon/lat. */
  async function pixel(page: Page, lon: number, lat: number): Promise<{ x: number; y: number }> {
    return page.evaluate(
      ([lo, la]) => {
        const map = window.__dtPerf.app().map.map;
        const rect = map.getCanvas().getBoundingClientRect();
        const p = map.project([lo, la]);
        return { x: rect.left + p.x, y: rect.top + p.y };
      },
      [lon, lat],
    );
  }

  async function signedIn(email: string): Promise<Page> {
    const tp = await openApp(browser, app.url);
    pages.push(tp);
    await signIn(tp.page, email, TENANT_PASSWORD);
    await tp.page.evaluate(([lon, lat]) => window.__dtPerf.app().map.map.jumpTo({ center: [lon, lat], zoom: 12 }), CENTRE);
    return tp.page;
  }

  it('an admin draws a keep-out polygon; a drone flies in; the alert appears live and is acknowledged', async () => {
    const page = await signedIn(t.adminEmail);
    await page.click('[data-testid=geofence-new]');
    const corners: [number, number][] = [
      [CENTRE[0] - D, CENTRE[1] - D],
      [CENTRE[0] + D, CENTRE[1] - D],
      [CENTRE[0] + D, CENTRE[1] + D],
      [CENTRE[0] - D, CENTRE[1] + D],
    ];
    for (const [lon, lat] of corners) {
      const { x, y } = await pixel(page, lon, lat);
      await page.mouse.click(x, y);
    }
    await page.waitForFunction(() => /4 vertices/.test(document.querySelector('[data-testid=draw-hint]')?.textContent ?? ''));
    await page.click('[data-testid=geofence-finish]');
    await page.fill('[data-testid=geofence-name]', 'stadium');
    await page.selectOption('[data-testid=geofence-rule]', 'keep-out');
    await page.click('[data-testid=geofence-save]');
    await page.waitForSelector('[data-testid=geofence-item][data-rule=keep-out]');
    const fences = (await api.get('/api/v1/geofences', t.viewerToken)).body.items;
    expect(fences).toHaveLength(1);
    expect(fences[0]).toMatchObject({ name: 'stadium', rule: 'keep-out', active: true });
    const ring = fences[0].geometry.coordinates[0] as number[][];
    expect(ring).toHaveLength(5);
    for (const [i, [lon, lat]] of corners.entries()) {
      expect(Math.abs(ring[i][0] - lon)).toBeLessThan(0.001);
      expect(Math.abs(ring[i][1] - lat)).toBeLessThan(0.001);
    }

    expect((await api.post('/api/v1/telemetry', point({ lon: CENTRE[0], lat: CENTRE[1] }), t.drones[0].deviceKey)).status).toBe(202);
    const row = await page.waitForSelector('[data-testid=open-alerts] [data-testid=alert-row][data-type=geofence]', { timeout: 15_000 });
    expect(await row.textContent()).toContain('stadium');
    await page.waitForSelector('[data-testid=drone-alert-badge]');
    await page.click('[data-testid=open-alerts] [data-testid=ack]');
    await page.waitForSelector('[data-testid=open-alerts] [data-testid=acknowledged]');
    const alerts = (await api.get('/api/v1/alerts', t.viewerToken)).body.items;
    expect(alerts).toHaveLength(1);
    expect(alerts[0].acknowledgedAt).toEqual(expect.any(String));
  }, 120_000);

  it('a viewer sees the geofence and the alert but cannot edit geofences', async () => {
    const page = await signedIn(t.viewerEmail);
    await page.waitForSelector('[data-testid=geofence-item]');
    await page.waitForSelector('[data-testid=open-alerts] [data-testid=alert-row][data-type=geofence]');
    expect(await page.isVisible('[data-testid=geofence-new]')).toBe(false);
    await page.click('[data-testid=geofence-item]');
    const { x, y } = await pixel(page, CENTRE[0] + D / 2, CENTRE[1] + D / 2);
    await page.mouse.click(x, y);
    expect(await page.$('[data-testid=geofence-dialog]')).toBeNull();
    // The API refuses a viewer's write too.
    const id = (await api.get('/api/v1/geofences', t.viewerToken)).body.items[0].id;
    expect((await api.req('PATCH', `/api/v1/geofences/${id}`, { body: { name: 'x' }, token: t.viewerToken })).status).toBe(403);
  }, 120_000);
});
