// End-to-end smoke test of web/dist against a stubbed API (no backend needed).
//   npm run test:web   (= npm run build:web && node web/e2e/smoke.mjs; also run by test/browser/web-smoke.browser.spec.ts)
// Screenshots: /tmp/web-shot.png (map + list), /tmp/web-shot-detail.png, /tmp/web-shot-admin.png
import { chromium } from 'playwright-core';
import { startStaticServer } from './static-server.mjs';
import { BROWSER_ARGS, installMockApi } from './mock-api.mjs';

const { server, url } = await startStaticServer();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: BROWSER_ARGS });
let passed = 0;
let failed = 0;
const check = async (name, fn) => {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message.split('\n')[0]}`);
  }
};
const expect = (cond, msg) => {
  if (!cond) throw new Error(msg);
};

try {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on(
    'console',
    (m) => m.type() === 'error' && !/401|403|404|Failed to load resource/.test(m.text()) && errors.push(`console: ${m.text()}`),
  );
  const api = await installMockApi(page);
  await page.goto(url);

  await check('login form shown', async () => {
    await page.waitForSelector('input[name=email]');
    expect(await page.isVisible('input[name=password]'), 'no password field');
    expect(await page.isVisible('form button[type=submit]'), 'no submit');
  });
  await check('wrong password is refused in words', async () => {
    await page.fill('input[name=email]', 'admin@example.com');
    await page.fill('input[name=password]', 'wrongpass');
    await page.click('button[type=submit]');
    await page.waitForFunction(() => document.querySelector('[data-testid=login-error]')?.textContent?.includes('Wrong email or password'));
  });
  await check('admin logs in; list, map and stream state appear', async () => {
    await page.fill('input[name=password]', 'secret123');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-drone-id]');
    await page.waitForSelector('.maplibregl-canvas');
    await page.waitForFunction(() => /live|reconnecting/.test(document.querySelector('[data-testid=stream-status]')?.textContent ?? ''));
    const rows = await page.locator('[data-drone-id]').count();
    expect(rows > 5 && rows < 200, `rendered ${rows} rows`);
  });
  await page.waitForTimeout(2500);
  await page.screenshot({ path: '/tmp/web-shot.png' });

  await check('map bbox requests are within range', async () => {
    const bboxes = api.log.filter((l) => l.includes('map/drones'));
    expect(bboxes.length > 0, 'no map/drones request');
    expect(!api.badBbox, `${api.badBbox} bad bbox requests`);
    expect(
      api.log.some((l) => l.startsWith('GET drones?limit=500')),
      'catalogue not paged with limit 500',
    );
  });
  await check('map has drone features rendered (WebGL, no DOM markers)', async () => {
    const markers = await page.locator('.maplibregl-marker').count();
    expect(markers === 0, `${markers} DOM markers`);
  });
  await check('alerts and geofence panels load; admins get the drawing tools', async () => {
    await page.waitForFunction(() => document.querySelector('[data-testid=open-alert-count]')?.textContent === '0');
    expect(await page.isVisible('[data-testid=geofence-new]'), 'no New geofence button');
    expect(
      api.log.some((l) => l.startsWith('GET alerts?state=open')),
      'open alerts not requested',
    );
    expect(
      api.log.some((l) => l.startsWith('GET geofences?')),
      'geofences not requested',
    );
  });
  await check('search filters the list', async () => {
    await page.fill('[data-testid=drone-search]', 'osprey 103');
    await page.waitForFunction(() => document.querySelectorAll('[data-drone-id]').length === 1);
    await page.fill('[data-testid=drone-search]', '');
  });
  await check('low battery filter', async () => {
    await page.check('[data-testid=filter-low-battery]');
    await page.waitForTimeout(100);
    const metas = await page.locator('[data-drone-id] .row-meta').allTextContents();
    expect(metas.length > 0 && metas.every((t) => t.includes('low')), `rows: ${metas.slice(0, 3)}`);
    await page.uncheck('[data-testid=filter-low-battery]');
  });
  await check('clicking a list entry selects it and opens the detail', async () => {
    await page.fill('[data-testid=drone-search]', 'Falcon 110');
    await page.click('[data-drone-id="d-0010"]');
    await page.waitForSelector('[data-testid=drone-detail]:not([hidden])');
    const text = await page.textContent('[data-testid=drone-detail]');
    expect(/Falcon 110/.test(text), 'name missing');
    expect(/\d+ %/.test(text), `battery missing: ${text}`);
    await page.waitForFunction(() => /\d+ points?/.test(document.querySelector('[data-field=track]')?.textContent ?? ''));
    expect(
      api.log.some((l) => /drones\/d-0010\/track\?from=/.test(l)),
      'no track request',
    );
  });
  await page.waitForTimeout(1200);
  await page.screenshot({ path: '/tmp/web-shot-detail.png' });
  await check('low battery drone shows "low"', async () => {
    await page.fill('[data-testid=drone-search]', 'Falcon 100');
    await page.click('[data-drone-id="d-0000"]'); // battery 0
    await page.waitForFunction(() => /^0 % low$/.test(document.querySelector('[data-field=battery]')?.textContent ?? ''));
    await page.fill('[data-testid=drone-search]', '');
  });

  await check('admin registers a drone and sees its key once', async () => {
    await page.click('[data-testid=admin-toggle]');
    await page.waitForSelector('[data-testid=admin-panel]:not([hidden])');
    await page.fill('[data-testid=register-drone] input[name=name]', 'Test Hawk');
    await page.fill('[data-testid=register-drone] input[name=serialNumber]', 'SN-TEST');
    await page.click('[data-testid=register-submit]');
    await page.waitForSelector('[data-testid=device-key]');
    const key = await page.textContent('[data-testid=device-key]');
    expect(key.startsWith('dk_live_'), `key ${key}`);
    expect(/not be shown again/.test(await page.textContent('[data-testid=device-key-dialog]')), 'no warning');
    await page.click('[data-testid=copy-device-key]');
    await page.waitForFunction(() => /Copied|copy it by hand/.test(document.querySelector('[data-testid=copy-status]')?.textContent ?? ''));
  });
  await page.screenshot({ path: '/tmp/web-shot-admin.png' });
  await check('key dialog closes and the new drone is listed', async () => {
    await page.click('[data-testid=device-key-done]');
    await page.fill('[data-testid=drone-search]', 'test hawk');
    await page.waitForSelector('[data-drone-id="d-new-240"]');
  });
  await check('users are listed and can be added', async () => {
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=users-list] tbody tr').length === 2);
    await page.fill('[data-testid=add-user] input[name=email]', 'new@example.com');
    await page.fill('[data-testid=add-user] input[name=password]', 'longenough1');
    await page.selectOption('[data-testid=add-user] select[name=role]', 'admin');
    await page.click('[data-testid=add-user-submit]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=users-list] tbody tr').length === 3);
    expect(api.users.at(-1).role === 'admin', 'role not sent');
    await page.click('[data-testid=admin-toggle]');
  });
  await check('rotate key shows the new key', async () => {
    await page.click('[data-drone-id="d-new-240"]');
    await page.click('[data-testid=rotate-key]');
    await page.click('[data-testid=confirm-ok]');
    await page.waitForFunction(() => /rotated/.test(document.querySelector('[data-testid=device-key]')?.textContent ?? ''));
    await page.click('[data-testid=device-key-done]');
  });
  await check('delete asks for confirmation and removes the drone', async () => {
    await page.click('[data-testid=delete-drone]');
    await page.click('[data-testid=confirm-cancel]');
    expect(
      api.drones.some((d) => d.id === 'd-new-240'),
      'deleted without confirmation',
    );
    await page.click('[data-testid=delete-drone]');
    await page.click('[data-testid=confirm-ok]');
    await page.waitForSelector('[data-drone-id="d-new-240"]', { state: 'detached' });
    expect(await page.isHidden('[data-testid=drone-detail]'), 'detail still open');
    await page.fill('[data-testid=drone-search]', '');
  });
  await check('API refusal is shown in words (role=alert)', async () => {
    await page.route('**/api/v1/drones/d-0003/track**', (r) =>
      r.fulfill({
        status: 500,
        contentType: 'application/json',
        body: '{"statusCode":500,"error":"Internal Server Error","message":"boom"}',
      }),
    );
    await page.fill('[data-testid=drone-search]', 'Osprey 103');
    await page.click('[data-drone-id="d-0003"]');
    await page.waitForFunction(() =>
      /could not load the drone's track/i.test(document.querySelector('[role=alert]#alerts')?.textContent ?? ''),
    );
    await page.fill('[data-testid=drone-search]', '');
  });
  await check('session survives a reload', async () => {
    await page.reload();
    await page.waitForSelector('[data-drone-id]');
    expect(!(await page.isVisible('input[name=password]')), 'login shown after reload');
  });
  await check('expired session returns to login with a message', async () => {
    await page.fill('[data-testid=drone-search]', 'Heron 101');
    api.expired = true;
    await page.click('[data-drone-id="d-0001"]').catch(() => undefined); // a background call may hit the 401 first
    await page.waitForSelector('input[name=password]');
    const msg = await page.textContent('[data-testid=login-error]');
    expect(/session has expired/i.test(msg), `message: ${msg}`);
    api.expired = false;
  });
  await check('viewer sees no admin controls', async () => {
    await page.fill('input[name=email]', 'viewer@example.com');
    await page.fill('input[name=password]', 'secret123');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-drone-id]');
    await page.click('[data-drone-id]');
    await page.waitForSelector('[data-testid=drone-detail]:not([hidden])');
    await page.waitForTimeout(300);
    expect(await page.isHidden('[data-testid=admin-toggle]'), 'admin toggle visible');
    expect(await page.isHidden('[data-testid=rotate-key]'), 'rotate visible');
    expect(await page.isHidden('[data-testid=admin-panel]'), 'admin panel visible');
    expect(await page.isHidden('[data-testid=geofence-new]'), 'geofence drawing tools visible');
  });
  await check('logout returns to the login form', async () => {
    await page.click('[data-testid=logout]');
    await page.waitForSelector('input[name=email]');
    expect((await page.evaluate(() => localStorage.getItem('dronetrack.session'))) === null, 'token kept');
  });
  await check('no page errors', async () => {
    expect(errors.length === 0, errors.join(' | '));
  });

  // No app-config.json and a world view: defaults are used and bbox stays valid.
  const page2 = await ctx.newPage();
  const api2 = await installMockApi(page2, { appConfig: null });
  await page2.addInitScript(() => localStorage.setItem('dronetrack.view', JSON.stringify({ center: [170, 0], zoom: 0.2 })));
  await page2.goto(url);
  await check('world view without app-config: bbox clamped', async () => {
    await page2.fill('input[name=email]', 'admin@example.com');
    await page2.fill('input[name=password]', 'secret123');
    await page2.click('button[type=submit]');
    await page2.waitForSelector('[data-drone-id]');
    await page2.waitForTimeout(1000);
    const b = api2.log.filter((l) => l.includes('map/drones'));
    expect(b.length > 0 && !api2.badBbox, `bbox requests: ${b.join(' ')}`);
  });

  // A raster basemap from app-config.json is requested and drawn below the drones.
  const page3 = await ctx.newPage();
  const tiles = [];
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkaGj4DwAEhgJ/1SbLvwAAAABJRU5ErkJggg==', 'base64');
  await page3.route('**/tiles/**', (r) => {
    tiles.push(r.request().url());
    return r.fulfill({ status: 200, contentType: 'image/png', body: PNG });
  });
  await installMockApi(page3, { appConfig: { mapTileUrl: `${url}tiles/{z}/{x}/{y}.png`, offlineAfterSeconds: 30 } });
  await page3.goto(url);
  await check('raster tiles from mapTileUrl are loaded', async () => {
    await page3.fill('input[name=email]', 'viewer@example.com');
    await page3.fill('input[name=password]', 'secret123');
    await page3.click('button[type=submit]');
    await page3.waitForSelector('[data-drone-id]');
    await page3.waitForTimeout(1500);
    expect(tiles.length > 0 && /\/tiles\/\d+\/\d+\/\d+\.png$/.test(tiles[0]), `tile requests: ${tiles.slice(0, 2)}`);
  });
} finally {
  await browser.close();
  server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
