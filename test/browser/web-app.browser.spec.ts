/**
 * The web app (web/dist, served by the real backend at `/`) in headless Chromium, against the
 * real Nest app with embedded adapters: two tenants whose drones report through the real ingest
 * API with their device keys. See docs/web.md, "Browser tests".
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Api, makeTenant, point, startTestApp, TENANT_PASSWORD, waitFor, type TenantFixture, type TestApp } from '../support/test-app.js';
import {
  chromiumAvailable,
  ensureWebBuilt,
  launchChromium,
  mapState,
  openApp,
  PROJECT_ROOT,
  renderedAt,
  signIn,
  waitForMapView,
  type TestPage,
} from '../support/browser.js';

// Browser globals for the functions that run in the page (page.evaluate / waitForFunction): the
// project's tsconfig has no DOM lib, and a module-local declaration keeps them out of Node code.
declare const window: any, document: any, localStorage: any, requestAnimationFrame: (cb: () => void) => number;

const ARTIFACTS = join(PROJECT_ROOT, 'artifacts');
const SCREENSHOT = join(ARTIFACTS, 'web-map.png');
const SCREENSHOT_WIDE = join(ARTIFACTS, 'web-map-wide.png');

// Tenant A: four drones with a position around Berlin (one low on battery, one in emergency, one
// without heading) and one that never reported. Tenant B: two drones right between them, so a
// leak would be inside A's view and inside A's stream box.
const A_POINTS = [
  { lat: 52.52, lon: 13.4, altitude: 100, speed: 10, heading: 90, battery: 80, status: 'airborne' },
  { lat: 52.53, lon: 13.42, altitude: 35, speed: 0, heading: 0, battery: 15, status: 'ground' },
  { lat: 52.51, lon: 13.43, altitude: 140, speed: 18, heading: 200, battery: 55, status: 'emergency' },
  { lat: 52.535, lon: 13.385, altitude: 60, speed: 4, battery: 42, status: 'unknown' }, // no heading: a dot
];
const B_POINTS = [
  { lat: 52.525, lon: 13.41, battery: 70, status: 'airborne' },
  { lat: 52.515, lon: 13.415, battery: 90, status: 'ground' },
];

const detailFields = (page: Page): Promise<Record<string, string>> =>
  page.$$eval('[data-testid=drone-detail] [data-field]', (els) =>
    Object.fromEntries(els.map((e) => [e.getAttribute('data-field') ?? '', e.textContent ?? ''])),
  );

/** Resolves once MapLibre has drawn everything for the current view. */
const mapIdle = (page: Page): Promise<void> =>
  page.evaluate(
    () =>
      new Promise<void>((r) => {
        const map = (window as any).__dtPerf.app().map.map;
        if (!map.isMoving() && map.loaded() && map.areTilesLoaded()) requestAnimationFrame(() => r());
        else map.once('idle', () => r());
      }),
  );

async function storedSession(page: Page): Promise<{ token: string } | null> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('dronetrack.session') ?? 'null'));
}

const run = chromiumAvailable() ? describe : describe.skip;

run('web app in headless Chromium against the real backend', () => {
  let app: TestApp;
  let api: Api;
  let a: TenantFixture;
  let b: TenantFixture;
  let browser: Browser;
  let aIds: string[]; // all of A's drones
  let aPlaced: string[]; // A's drones that reported a position
  let bIds: string[];
  const t0 = Date.now();

  beforeAll(async () => {
    ensureWebBuilt(); // before the app starts: static files are registered at start-up
    [app, browser] = await Promise.all([startTestApp({ OFFLINE_AFTER_SECONDS: '60' }), launchChromium()]);
    api = new Api(app.url);
    [a, b] = await Promise.all([makeTenant(api, 5), makeTenant(api, 2)]);
    aIds = a.drones.map((d) => d.id);
    aPlaced = aIds.slice(0, A_POINTS.length);
    bIds = b.drones.map((d) => d.id);
    const ts = Date.now() - 1000;
    const sent = await Promise.all([
      ...A_POINTS.map((p, i) => api.post('/api/v1/telemetry', point({ heading: undefined, ...p, timestamp: ts }), a.drones[i].deviceKey)),
      ...B_POINTS.map((p, i) => api.post('/api/v1/telemetry', point({ ...p, timestamp: ts }), b.drones[i].deviceKey)),
    ]);
    for (const r of sent) expect(r.status).toBe(202);
    await waitFor(
      async () => (await api.get('/api/v1/map/drones', a.viewerToken)).body.features?.length === A_POINTS.length,
      10_000,
      "A's drones on the map API",
    );
    await waitFor(
      async () => (await api.get('/api/v1/map/drones', b.viewerToken)).body.features?.length === B_POINTS.length,
      10_000,
      "B's drones on the map API",
    );
    console.log(`browser suite: set-up ${Date.now() - t0} ms`);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    console.log(`browser suite: total ${Date.now() - t0} ms`);
  });

  describe('login', () => {
    let tp: TestPage;
    beforeAll(async () => {
      tp = await openApp(browser, app.url);
    });
    afterAll(() => tp?.context.close());

    it('a wrong password is refused in words, and the form stays', async () => {
      const { page } = tp;
      await page.fill('input[name=email]', a.viewerEmail);
      await page.fill('input[name=password]', 'not the password');
      await page.click('[data-testid=login-submit]');
      await page.waitForFunction(() => (document.querySelector('[data-testid=login-error]')?.textContent ?? '') !== '');
      expect(await page.textContent('[data-testid=login-error]')).toBe('Wrong email or password.');
      expect(await page.getAttribute('[data-testid=login-error]', 'role')).toBe('alert');
      expect(await page.isVisible('[data-testid=map]')).toBe(false);
      expect(await storedSession(page)).toBeNull();
    });

    it('the right password shows the map view with a live stream', async () => {
      const { page } = tp;
      await signIn(page, a.viewerEmail, TENANT_PASSWORD);
      expect(await page.isVisible('input[name=password]')).toBe(false);
      await page.waitForFunction(
        (email) => document.querySelector('[data-testid=user-info]')?.textContent === `${email} (viewer)`,
        a.viewerEmail,
      );
      expect((await storedSession(page))?.token).toMatch(/^ey/);
    });

    it('a reload keeps the session', async () => {
      const { page } = tp;
      await page.reload();
      await waitForMapView(page);
      expect(await page.isVisible('input[name=password]')).toBe(false);
      await page.waitForSelector(`[data-drone-id="${aIds[0]}"]`);
    });

    it('logout returns to the sign-in form and forgets the token, also after a reload', async () => {
      const { page } = tp;
      await page.click('[data-testid=logout]');
      await page.waitForSelector('input[name=email]');
      expect(await storedSession(page)).toBeNull();
      await page.reload();
      await page.waitForSelector('input[name=password]');
      expect(await page.isVisible('[data-testid=map]')).toBe(false);
      expect(tp.errors).toEqual([]);
    });
  });

  describe('a viewer of tenant A: list, map, detail and live updates', () => {
    let tp: TestPage;
    beforeAll(async () => {
      tp = await openApp(browser, app.url);
      await signIn(tp.page, a.viewerEmail, TENANT_PASSWORD);
    });
    afterAll(() => tp?.context.close());

    it("lists every one of A's drones, including the one that never reported", async () => {
      const { page } = tp;
      for (const id of aIds) await page.waitForSelector(`[data-drone-id="${id}"]`);
      expect(await page.textContent('[data-testid=drone-count]')).toBe(`${aIds.length} drones`);
      expect(await page.textContent(`[data-drone-id="${aIds[4]}"] .row-meta`)).toBe('no position yet');
      expect(await page.textContent(`[data-drone-id="${aIds[1]}"] .row-meta`)).toBe('ground · 15 % low');
    });

    it("draws A's drones on the map (source features and rendered symbols) over the basemap; screenshot", async () => {
      const { page } = tp;
      const state = await waitFor(
        async () => {
          const s = await mapState(page);
          const drawn = aPlaced.every((id) => s.rendered.includes(id));
          return s.source.length === aPlaced.length && drawn && s.land > 0 ? s : null;
        },
        15_000,
        "A's drones rendered on the map",
      );
      expect(state.source.map((f) => f.id).sort()).toEqual([...aPlaced].sort());
      expect(state.rendered.sort()).toEqual([...aPlaced].sort());
      expect(state.source.find((f) => f.id === aIds[1])).toMatchObject({ lowBattery: true, status: 'ground', online: true });
      expect(state.source.find((f) => f.id === aIds[2])).toMatchObject({ status: 'emergency', heading: 200 });
      expect(state.source.find((f) => f.id === aIds[3])?.heading).toBeNull();
      for (const [i, p] of A_POINTS.entries()) {
        const f = state.source.find((x) => x.id === aIds[i])!;
        expect(Math.abs(f.lon - p.lon)).toBeLessThan(1e-3);
        expect(Math.abs(f.lat - p.lat)).toBeLessThan(1e-3);
        expect(await renderedAt(page, p.lon, p.lat)).toContain(aIds[i]);
      }
      expect(await page.textContent('[data-testid=map-count]')).toBe(`${aPlaced.length} in view`);
      mkdirSync(ARTIFACTS, { recursive: true });
      await mapIdle(page);
      await page.screenshot({ path: SCREENSHOT });
    });

    it("shows no drone of tenant B anywhere, even when B reports while A's page is open", async () => {
      const { page } = tp;
      // B reports first, then A: once A's update has arrived through the stream, B's would have too.
      const ts = Date.now();
      expect((await api.post('/api/v1/telemetry', point({ ...B_POINTS[0], timestamp: ts }), b.drones[0].deviceKey)).status).toBe(202);
      expect(
        (
          await api.post(
            '/api/v1/telemetry',
            point({ heading: undefined, ...A_POINTS[3], timestamp: ts, altitude: 61 }),
            a.drones[3].deviceKey,
          )
        ).status,
      ).toBe(202);
      await page.waitForFunction((id) => (window as any).__dtPerf.app().store.get(id)?.properties.altitude === 61, aIds[3]);
      await page.waitForTimeout(500);
      const s = await mapState(page);
      const html = await page.content();
      const listed = await page.$$eval('[data-drone-id]', (els) => els.map((e) => e.getAttribute('data-drone-id')));
      for (const id of bIds) {
        expect(s.source.map((f) => f.id)).not.toContain(id);
        expect(s.rendered).not.toContain(id);
        expect(s.store).not.toContain(id);
        expect(listed).not.toContain(id);
        expect(html).not.toContain(id);
      }
      expect(listed.sort()).toEqual([...aIds].sort());
      for (const p of B_POINTS) expect(await renderedAt(page, p.lon, p.lat, 4)).toEqual([]);
    });

    it('clicking a list entry opens the detail panel with every field', async () => {
      const { page } = tp;
      await page.click(`[data-drone-id="${aIds[1]}"]`);
      await page.waitForSelector(`[data-testid=drone-detail][data-drone-id="${aIds[1]}"]:not([hidden])`);
      await page.waitForFunction(() => /^\d+ points?$/.test(document.querySelector('[data-field=track]')?.textContent ?? ''));
      const f = await detailFields(page);
      const server = (await api.get(`/api/v1/drones/${aIds[1]}`, a.viewerToken)).body;
      expect(f).toMatchObject({
        name: 'drone 1',
        serialNumber: server.serialNumber,
        model: 'X4',
        status: 'ground',
        online: 'online',
        battery: '15 % low',
        speed: '0.0 m/s',
        altitude: '35 m',
        heading: '0°',
        position: '52.53000, 13.42000',
        track: '1 point',
      });
      expect(f.serialNumber).toMatch(/^SN-/);
      expect(f.lastSeen).toMatch(/\(\d+ s ago\)$/);
      expect(await page.getAttribute(`[data-drone-id="${aIds[1]}"]`, 'class')).toContain('selected');

      await page.click(`[data-drone-id="${aIds[0]}"]`);
      await page.waitForSelector(`[data-testid=drone-detail][data-drone-id="${aIds[0]}"]`);
      await page.waitForFunction(() => document.querySelector('[data-field=name]')?.textContent === 'drone 0');
      expect(await detailFields(page)).toMatchObject({
        battery: '80 %',
        status: 'airborne',
        speed: '10.0 m/s',
        altitude: '100 m',
        heading: '90°',
        online: 'online',
      });
    });

    it('a new point sent through the ingest API shows in the detail panel and on the map without a reload', async () => {
      const { page } = tp;
      // Selecting centred the map (a view change may reopen the stream): wait for it to settle and be live.
      await page.waitForFunction(() => {
        const map = (window as any).__dtPerf.app().map.map;
        return !map.isMoving() && document.querySelector('[data-testid=stream-status]')?.getAttribute('data-state') === 'live';
      });
      await page.waitForTimeout(400); // past the 300 ms view debounce
      await page.waitForFunction(() => document.querySelector('[data-testid=stream-status]')?.getAttribute('data-state') === 'live');
      const next = { lat: 52.523, lon: 13.404, altitude: 250, speed: 23.5, heading: 270, battery: 12, status: 'emergency' };
      const sentAt = Date.now();
      expect((await api.post('/api/v1/telemetry', point({ ...next, timestamp: sentAt }), a.drones[0].deviceKey)).status).toBe(202);
      await page.waitForFunction(() => document.querySelector('[data-field=status]')?.textContent === 'emergency', undefined, {
        timeout: 5000,
      });
      const latency = Date.now() - sentAt;
      expect(await detailFields(page)).toMatchObject({
        name: 'drone 0',
        status: 'emergency',
        battery: '12 % low',
        speed: '23.5 m/s',
        altitude: '250 m',
        heading: '270°',
        position: '52.52300, 13.40400',
        online: 'online',
        track: '2 points',
      });
      const f = await waitFor(
        async () => {
          const s = (await mapState(page)).source.find((x) => x.id === aIds[0]);
          return s && s.status === 'emergency' && Math.abs(s.lat - next.lat) < 1e-4 ? s : null;
        },
        5000,
        'the map feature to move',
      );
      expect(f).toMatchObject({ status: 'emergency', lowBattery: true, heading: 270, online: true });
      expect(Math.abs(f.lon - next.lon)).toBeLessThan(1e-4);
      await waitFor(
        async () => (await renderedAt(page, next.lon, next.lat)).includes(aIds[0]),
        5000,
        'the drone drawn at its new position',
      );
      // The list re-renders live changes at most twice a second.
      await page.waitForFunction(
        (id) => document.querySelector(`[data-drone-id="${id}"] .row-meta`)?.textContent === 'emergency · 12 % low',
        aIds[0],
        { timeout: 3000 },
      );
      console.log(`browser suite: live update visible in the detail panel ${latency} ms after the 202`);
      expect(tp.errors).toEqual([]);
    });

    it('zoomed out to zoom 4, the basemap draws land, coastlines and borders (second screenshot)', async () => {
      const { page } = tp;
      await page.evaluate(() => {
        (window as any).__dtPerf.app().map.map.jumpTo({ zoom: 4 }); // no return: the Map object is huge to serialise
      });
      await mapIdle(page);
      const drawn = await page.evaluate(() => {
        const map = (window as any).__dtPerf.app().map.map;
        const n = (layer: string) => map.queryRenderedFeatures({ layers: [layer] }).length;
        return { land: n('land'), coast: n('coast'), borders: n('borders') };
      });
      expect(drawn.land).toBeGreaterThan(0);
      expect(drawn.coast).toBeGreaterThan(0);
      expect(drawn.borders).toBeGreaterThan(0);
      await page.screenshot({ path: SCREENSHOT_WIDE });
      expect(tp.errors).toEqual([]);
    });

    it("runs under the server's Content-Security-Policy with no violation (map, worker, stream, basemap)", async () => {
      const res = await tp.page.request.get(`${app.url}/`);
      expect(res.headers()['content-security-policy']).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
      const worker = await tp.page.evaluate(() => typeof (window as any).__dtPerf.app().map.map.style === 'object');
      expect(worker).toBe(true);
      expect(tp.errors.filter((e) => /csp|Content Security Policy/i.test(e))).toEqual([]);
    });
  });

  describe("tenant A's admin registers a drone", () => {
    let tp: TestPage;
    beforeAll(async () => {
      tp = await openApp(browser, app.url);
      await signIn(tp.page, a.adminEmail, TENANT_PASSWORD);
    });
    afterAll(() => tp?.context.close());

    it('through the admin panel; the device key is shown once and works; the drone is listed and appears on the map', async () => {
      const { page } = tp;
      await page.waitForSelector('[data-testid=admin-toggle]', { state: 'visible' });
      await page.click('[data-testid=admin-toggle]');
      await page.waitForSelector('[data-testid=admin-panel]', { state: 'visible' });
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=users-list] tbody tr').length === 2);
      await page.fill('[data-testid=register-name]', 'Browser Hawk');
      await page.fill('[data-testid=register-serial]', 'SN-BROWSER-1');
      await page.fill('[data-testid=register-model]', 'Hawk 2');
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/drones'),
        page.click('[data-testid=register-submit]'),
      ]);
      expect(res.status()).toBe(201);
      const created = await res.json();
      await page.waitForSelector('[data-testid=device-key-dialog]', { state: 'visible' });
      const key = (await page.textContent('[data-testid=device-key]'))!;
      expect(key).toBe(created.deviceKey);
      expect(key.length).toBeGreaterThan(20);
      expect(await page.textContent('[data-testid=device-key-warning]')).toMatch(/will not be shown again/);

      // The key shown is the drone's real credential.
      const ok = await api.post(
        '/api/v1/telemetry',
        point({ lat: 52.528, lon: 13.395, battery: 64, status: 'airborne', heading: 45 }),
        key,
      );
      expect(ok.status).toBe(202);

      await page.click('[data-testid=device-key-done]');
      await page.waitForSelector('[data-testid=device-key-dialog]', { state: 'detached' });
      expect(await page.content()).not.toContain(key); // shown once: gone from the page
      expect(JSON.stringify((await api.get(`/api/v1/drones/${created.id}`, a.adminToken)).body)).not.toContain(key);

      await page.waitForSelector(`[data-drone-id="${created.id}"]`);
      expect(await page.textContent(`[data-drone-id="${created.id}"] .row-name`)).toBe('Browser Hawk');
      expect(await page.textContent('[data-testid=drone-count]')).toBe(`${aIds.length + 1} drones`);
      // Its first point reaches the open page through the stream.
      await waitFor(async () => (await mapState(page)).source.some((f) => f.id === created.id), 5000, 'the new drone on the map');
      expect(tp.errors).toEqual([]);
    });
  });

  describe("tenant A's viewer", () => {
    let tp: TestPage;
    beforeAll(async () => {
      tp = await openApp(browser, app.url);
      await signIn(tp.page, a.viewerEmail, TENANT_PASSWORD);
    });
    afterAll(() => tp?.context.close());

    it('sees no admin controls', async () => {
      const { page } = tp;
      await page.waitForFunction(
        (email) => document.querySelector('[data-testid=user-info]')?.textContent === `${email} (viewer)`,
        a.viewerEmail,
      );
      await page.click(`[data-drone-id="${aIds[0]}"]`);
      await page.waitForSelector('[data-testid=drone-detail]', { state: 'visible' });
      for (const sel of ['admin-toggle', 'admin-panel', 'rotate-key', 'delete-drone', 'register-drone', 'add-user']) {
        expect([sel, await page.isVisible(`[data-testid=${sel}]`)]).toEqual([sel, false]);
      }
    });

    it("the API refuses admin actions with the viewer's browser token (403)", async () => {
      const token = (await storedSession(tp.page))!.token;
      expect((await api.get('/api/v1/drones', token)).status).toBe(200);
      const id = aIds[0];
      const refused = await Promise.all([
        api.post('/api/v1/drones', { name: 'not allowed' }, token),
        api.post(`/api/v1/drones/${id}/keys`, {}, token),
        api.req('DELETE', `/api/v1/drones/${id}`, { token }),
        api.post('/api/v1/users', { email: `x-${Date.now()}@example.com`, password: 'longenough1', role: 'admin' }, token),
      ]);
      expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403]);
      expect((await api.get(`/api/v1/drones/${id}`, token)).status).toBe(200);
      // The drone's key still works (rotation was refused).
      expect((await api.post('/api/v1/telemetry', point({ ...A_POINTS[0], timestamp: Date.now() }), a.drones[0].deviceKey)).status).toBe(
        202,
      );
      expect(tp.errors).toEqual([]);
    });
  });
});
