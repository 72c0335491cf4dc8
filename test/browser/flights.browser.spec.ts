/**
 * The flight log, replay and export of the web app in headless Chromium against the real
 * backend (embedded adapters). Nothing here is timed: the test waits for states, never for
 * durations.
 */
import { readFileSync } from 'node:fs';
import { gpx } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import type { Browser, Page } from 'playwright-core';
import { Api, makeTenant, point, startTestApp, TENANT_PASSWORD, waitFor, type TenantFixture, type TestApp } from '../support/test-app.js';
import { chromiumAvailable, ensureWebBuilt, launchChromium, openApp, signIn, type TestPage } from '../support/browser.js';

declare const window: any, document: any;

const S = 1000;
const POINTS = 300;

interface ReplayState {
  t: number;
  lon: number;
  lat: number;
  index: number;
  /** Centre of the marker element on the map (px), null without a marker. */
  marker: [number, number] | null;
  /** Where the map draws the readout's position (map.project, px). */
  at: [number, number];
  /** Map centre (lon, lat) and size (px). */
  centre: [number, number];
  size: [number, number];
  playing: string | undefined;
}

const replayState = (page: Page): Promise<ReplayState> =>
  page.evaluate(() => {
    const d = document.querySelector('[data-testid=replay-readout]').dataset;
    const map = (window as any).__dtPerf.app().map.map;
    const box = map.getContainer().getBoundingClientRect();
    const r = document.querySelector('[data-testid=replay-marker]')?.getBoundingClientRect();
    const p = map.project([Number(d.lon), Number(d.lat)]);
    const c = map.getCenter();
    return {
      t: Number(d.t),
      lon: Number(d.lon),
      lat: Number(d.lat),
      index: Number(d.index),
      marker: r ? [r.left + r.width / 2 - box.left, r.top + r.height / 2 - box.top] : null,
      at: [p.x, p.y],
      centre: [c.lng, c.lat],
      size: [box.width, box.height],
      playing: document.querySelector('[data-testid=replay-play]').dataset.state,
    };
  });

/** The marker is drawn at the readout's position (the Marker rounds to whole pixels). */
const expectMarkerAtReadout = (s: ReplayState): void => {
  expect(s.marker).not.toBeNull();
  expect(Math.abs(s.marker![0] - s.at[0])).toBeLessThanOrEqual(1);
  expect(Math.abs(s.marker![1] - s.at[1])).toBeLessThanOrEqual(1);
};

/** Moves the scrubber to `step` and lets go of it, as a user would. */
const scrub = (page: Page, step: number): Promise<void> =>
  page.$eval(
    '[data-testid=replay-scrubber]',
    (el: any, v) => {
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    },
    step,
  );

const run = chromiumAvailable() ? describe : describe.skip;

run('flight log, replay and export in headless Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let t: TenantFixture;
  let tp: TestPage;
  let track: { timestamp: string; lat: number; lon: number }[];
  let flightId: string;
  const t0 = Date.now() - 2 * 3600 * S;

  /** Where the drone is at time `ms` on the stored track (linear between points). */
  const onTrack = (ms: number): [number, number] => {
    const times = track.map((p) => Date.parse(p.timestamp));
    let i = 0;
    while (i < times.length - 1 && times[i + 1] <= ms) i++;
    const j = Math.min(i + 1, times.length - 1);
    const f = times[j] > times[i] ? Math.min(1, (ms - times[i]) / (times[j] - times[i])) : 0;
    return [track[i].lon + (track[j].lon - track[i].lon) * f, track[i].lat + (track[j].lat - track[i].lat) * f];
  };

  beforeAll(async () => {
    ensureWebBuilt();
    [app, browser] = await Promise.all([startTestApp(), launchChromium()]);
    const api = new Api(app.url);
    t = await makeTenant(api, 1);
    // A curved flight: take-off, 300 points at 1 Hz, landing; and an older short flight.
    const points = [point({ timestamp: new Date(t0 - 5 * S).toISOString(), status: 'ground', lat: 52.5, lon: 13.4 })];
    for (let i = 0; i < POINTS; i++) {
      const a = (i / POINTS) * Math.PI;
      points.push(
        point({
          timestamp: new Date(t0 + i * S).toISOString(),
          lat: 52.5 + Math.sin(a) * 0.01,
          lon: 13.4 + (i / POINTS) * 0.03,
          altitude: 100 + Math.sin(a) * 50,
          battery: 90 - i / 10,
          speed: 8,
        }),
      );
    }
    points.push(point({ timestamp: new Date(t0 + POINTS * S).toISOString(), status: 'ground', lat: 52.5, lon: 13.43 }));
    points.push(point({ timestamp: new Date(t0 - 3600 * S).toISOString() }), point({ timestamp: new Date(t0 - 3590 * S).toISOString() }));
    expect((await api.post('/api/v1/telemetry', { points }, t.drones[0].deviceKey)).status).toBe(202);
    const flights = await waitFor(
      async () => {
        const items = (await api.get(`/api/v1/flights?droneId=${t.drones[0].id}`, t.viewerToken)).body.items;
        return items?.length === 2 && items[0].points === POINTS ? items : null;
      },
      10_000,
      'the flights',
    );
    flightId = flights[0].id;
    track = (await api.get(`/api/v1/flights/${flightId}/track`, t.viewerToken)).body.points;
    tp = await openApp(browser, app.url);
    await signIn(tp.page, t.viewerEmail, TENANT_PASSWORD);
  }, 180_000);

  afterAll(async () => {
    await tp?.context.close();
    await browser?.close();
    await app?.close();
  });

  it("opens a drone's flight log, newest first", async () => {
    const { page } = tp;
    await page.click(`[data-drone-id="${t.drones[0].id}"]`);
    await page.click('[data-testid=open-flight-log]');
    await page.waitForSelector('[data-testid=flight-panel][data-loaded=true]');
    const rows = await page.$$eval('[data-testid=flight-log-table] tbody tr', (trs) =>
      trs.map((tr) => ({ id: tr.getAttribute('data-flight-id'), cells: [...tr.querySelectorAll('td')].map((td) => td.textContent) })),
    );
    expect(rows.map((r) => r.id)[0]).toBe(flightId);
    expect(rows).toHaveLength(2);
    expect(rows[0].cells[1]).toBe('4 min 59 s');
    expect(rows[0].cells[4]).toBe('30 %');
    expect(rows[0].cells[2]).toMatch(/km$/);
  });

  it('replays at 8×: the marker moves along the track', async () => {
    const { page } = tp;
    await page.click(`[data-flight-id="${flightId}"]`);
    await page.waitForSelector(`[data-testid=flight-replay][data-flight-id="${flightId}"]:not([hidden])`);
    await page.selectOption('[data-testid=replay-speed]', '8');
    const start = await replayState(page);
    expect(start.t).toBe(Date.parse(track[0].timestamp));
    await page.click('[data-testid=replay-play]');
    // Two moments of the running replay: each position lies on the track at the replay's time.
    const seen: ReplayState[] = [];
    for (const ahead of [20 * S, 60 * S]) {
      await page.waitForFunction((min) => Number(document.querySelector('[data-testid=replay-readout]').dataset.t) >= min, start.t + ahead);
      seen.push(await replayState(page));
    }
    for (const s of seen) {
      const [lon, lat] = onTrack(s.t);
      expect(s.lon).toBeCloseTo(lon, 6);
      expect(s.lat).toBeCloseTo(lat, 6);
      expect(s.playing).toBe('playing');
    }
    expect(seen[1].t).toBeGreaterThan(seen[0].t);
    expect(seen[1].lon).toBeGreaterThan(seen[0].lon);
    // The map's marker is moved in the same step as the readout, and moved east with the drone.
    for (const s of seen) expectMarkerAtReadout(s);
    expect(seen[1].marker![0]).toBeGreaterThan(start.marker![0]);
    await page.click('[data-testid=replay-play]');
    await page.waitForSelector('[data-testid=replay-play][data-state=paused]');
  });

  it('scrubbing moves the replay to that point of the flight', async () => {
    const { page } = tp;
    await scrub(page, 500);
    const s = await replayState(page);
    const begin = Date.parse(track[0].timestamp);
    const end = Date.parse(track[track.length - 1].timestamp);
    expect(s.t).toBe(Math.round(begin + (end - begin) / 2));
    const [lon, lat] = onTrack(s.t);
    expect(s.lon).toBeCloseTo(lon, 6);
    expect(s.lat).toBeCloseTo(lat, 6);
    expectMarkerAtReadout(s);
    expect(await page.textContent('[data-testid=replay-readout] [data-field=battery]')).toBe(
      `${(90 - s.index / 10 - (s.t - Date.parse(track[s.index].timestamp)) / S / 10).toFixed(0)} %`,
    );
  });

  it('follow: turning it on and scrubbing centre the drone at once; playing re-centres only when it leaves the middle half', async () => {
    const { page } = tp;
    const centred = (s: ReplayState) => {
      expect(s.centre[0]).toBeCloseTo(s.lon, 6);
      expect(s.centre[1]).toBeCloseTo(s.lat, 6);
    };
    await page.check('[data-testid=replay-follow]');
    centred(await replayState(page));
    await scrub(page, 100);
    const start = await replayState(page);
    centred(start);
    // Zoomed in, the drone crosses the middle half of the map several times in 40 s of flight.
    await page.evaluate(() => {
      (window as any).__dtPerf.app().map.map.jumpTo({ zoom: 17 }); // no return: the Map object is huge to serialise
    });
    await page.click('[data-testid=replay-play]');
    for (const ahead of [10 * S, 20 * S, 30 * S, 40 * S]) {
      await page.waitForFunction((min) => Number(document.querySelector('[data-testid=replay-readout]').dataset.t) >= min, start.t + ahead);
      const s = await replayState(page);
      expectMarkerAtReadout(s);
      expect(Math.abs(s.marker![0] - s.size[0] / 2)).toBeLessThanOrEqual(s.size[0] / 4 + 1);
      expect(Math.abs(s.marker![1] - s.size[1] / 2)).toBeLessThanOrEqual(s.size[1] / 4 + 1);
    }
    // Not re-centred every frame: the drone is seen away from the centre while playing.
    await page.waitForFunction(() => {
      const map = (window as any).__dtPerf.app().map.map;
      const box = map.getContainer().getBoundingClientRect();
      const r = document.querySelector('[data-testid=replay-marker]').getBoundingClientRect();
      return Math.abs(r.left + r.width / 2 - box.left - box.width / 2) > 20;
    });
    const end = await replayState(page);
    expect(end.centre[0]).toBeGreaterThan(start.centre[0]);
    await page.click('[data-testid=replay-play]');
    await page.waitForSelector('[data-testid=replay-play][data-state=paused]');
    await page.uncheck('[data-testid=replay-follow]');
  });

  it('exports GPX: the file downloads and parses back to the track', async () => {
    const { page } = tp;
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-gpx]')]);
    expect(download.suggestedFilename()).toBe(`flight-${flightId}.gpx`);
    const text = readFileSync((await download.path())!, 'utf8');
    const fc = gpx(new DOMParser().parseFromString(text, 'text/xml') as unknown as Parameters<typeof gpx>[0]);
    const coords = (fc.features[0].geometry as any).coordinates as number[][];
    expect(coords.map((c) => [c[0], c[1]])).toEqual(track.map((p) => [p.lon, p.lat]));
    expect(tp.errors).toEqual([]);
  });
});
