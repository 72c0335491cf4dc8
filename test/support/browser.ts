/**
 * Headless Chromium (playwright-core, the system binary; nothing is ever downloaded) for the
 * browser end-to-end suites, plus helpers to reach into the web app's live map.
 *
 * A missing Chromium skips the suite loudly, or fails it under DRONETRACK_REQUIRE_SERVICES=1
 * (the same rule as test/support/services.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { servicesRequired } from './services.js';

// Browser globals for the functions that run in the page (page.evaluate / waitForFunction): the
// project's tsconfig has no DOM lib, and a module-local declaration keeps them out of Node code.
declare const window: any, document: any;

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Software WebGL (SwiftShader, WebGL2) with software compositing: works headless without a GPU (docs/web.md). */
export const BROWSER_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--use-gl=swiftshader',
  '--enable-unsafe-swiftshader',
];

/** True when Chromium is there; otherwise says so loudly, and throws under DRONETRACK_REQUIRE_SERVICES=1. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const what = `Chromium is not available at ${CHROMIUM} (set CHROMIUM=…)`;
  if (servicesRequired) throw new Error(`\n*** ${what}, and DRONETRACK_REQUIRE_SERVICES=1 requires the browser end-to-end suites. ***\n`);
  console.warn(
    `\n*** ${what}: the browser end-to-end suites are SKIPPED. ` +
      'Install the distribution package (e.g. apt-get install chromium), or set DRONETRACK_REQUIRE_SERVICES=1 to make this fatal. ***\n',
  );
  return false;
}

/**
 * Builds web/dist when it is missing. Must run before the app starts: the backend registers the
 * static files at start-up.
 */
export function ensureWebBuilt(): void {
  if (existsSync(join(PROJECT_ROOT, 'web/dist/index.html'))) return;
  const r = spawnSync('npm', ['run', 'build:web', '--silent'], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 170_000 });
  if (r.status !== 0 || !existsSync(join(PROJECT_ROOT, 'web/dist/index.html'))) {
    throw new Error(`npm run build:web failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS, timeout: 30_000 });
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors, console errors (expected HTTP refusals filtered out) and CSP violations. */
  errors: string[];
}

/** A fresh context (own localStorage) and page on the app's root. */
export async function openApp(browser: Browser, baseUrl: string): Promise<TestPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 40[13]/.test(m.text()))
      errors.push(`console: ${m.text()}`);
  });
  // Content-Security-Policy violations (the server's CSP must fit the app, MapLibre included).
  await page.exposeFunction('__dtCspViolation', (v: string) => errors.push(`csp violation: ${v}`));
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e: any) =>
      (window as any).__dtCspViolation(`${e.violatedDirective} blocked ${e.blockedURI}`),
    ),
  );
  await page.goto(`${baseUrl}/`);
  return { context, page, errors };
}

/** Signs in through the form and waits for the map view. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('[data-testid=login-submit]');
  await waitForMapView(page);
}

/** The signed-in view: map canvas, map loaded, live stream. */
export async function waitForMapView(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid=map] canvas.maplibregl-canvas');
  await page.waitForFunction(() => {
    const app = (window as any).__dtPerf?.app?.();
    return !!app && app.map.map.loaded() && document.querySelector('[data-testid=stream-status]')?.getAttribute('data-state') === 'live';
  });
}

export interface MapDrone {
  id: string;
  status: string;
  online: boolean;
  lowBattery: boolean;
  heading: number | null;
  lon: number;
  lat: number;
}

export interface MapState {
  /** Features the MapLibre `drones` GeoJSON source holds (map.querySourceFeatures), one per id. */
  source: MapDrone[];
  /** Ids drawn on screen by the drone layers (map.queryRenderedFeatures). */
  rendered: string[];
  /** Features in the basemap's land source (0: no basemap). */
  land: number;
  /** Ids in the app's live store (what the list and detail panel read). */
  store: string[];
}

/** Reads the live map through `window.__dtPerf.app()` (web/src/perf.ts): the only hook the app exposes. */
export function mapState(page: Page): Promise<MapState> {
  return page.evaluate(() => {
    const app = (window as any).__dtPerf.app();
    const map = app.map.map;
    const byId = new Map<string, MapDrone>();
    for (const f of map.querySourceFeatures('drones')) {
      const p = f.properties;
      const [lon, lat] = f.geometry.coordinates;
      byId.set(String(p.id), {
        id: String(p.id),
        status: p.status,
        online: p.online,
        lowBattery: p.lowBattery,
        heading: p.heading ?? null,
        lon,
        lat,
      });
    }
    const layers = ['drone-icon', 'drone-lowbat', 'drone-offline'].filter((l) => map.getLayer(l));
    const rendered = new Set<string>(map.queryRenderedFeatures({ layers }).map((f: any) => String(f.properties.id)));
    return {
      source: [...byId.values()],
      rendered: [...rendered],
      land: map.querySourceFeatures('land').length,
      store: [...app.store.features.keys()],
    };
  });
}

/** Ids drawn at the screen position of a longitude/latitude (the map's own projection). */
export function renderedAt(page: Page, lon: number, lat: number, radiusPx = 8): Promise<string[]> {
  return page.evaluate(
    ([x, y, r]) => {
      const map = (window as any).__dtPerf.app().map.map;
      const p = map.project([x, y]);
      const hits = map.queryRenderedFeatures(
        [
          [p.x - r, p.y - r],
          [p.x + r, p.y + r],
        ],
        { layers: ['drone-icon'] },
      );
      return hits.map((f: any) => String(f.properties.id));
    },
    [lon, lat, radiusPx] as const,
  );
}
