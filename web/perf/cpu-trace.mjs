// Main-thread CPU time of the page during the 10,000-drone run (__dtPerf.run, as measure.mjs),
// from a Chromium trace: thread time, which other processes competing for the two cores inflate
// far less than the wall-clock figures. For comparing two builds on a busy machine:
//   WEB_DIST=/tmp/old-dist node web/perf/cpu-trace.mjs 10000 30; node web/perf/cpu-trace.mjs 10000 30
//   node web/perf/cpu-trace.mjs [drones=10000] [seconds=10]   WEB_DIST=<dir>  MODES=gpu|nogpu (default gpu)
import { chromium } from 'playwright-core';
import { DIST, startStaticServer } from '../e2e/static-server.mjs';
import { BROWSER_ARGS, BROWSER_ARGS_GPU, installMockApi } from '../e2e/mock-api.mjs';

const drones = Number(process.argv[2] ?? 10000);
const seconds = Number(process.argv[3] ?? 10);
const args = (process.env.MODES ?? 'gpu') === 'gpu' ? BROWSER_ARGS_GPU : BROWSER_ARGS;
const { server, url } = await startStaticServer(process.env.WEB_DIST ?? DIST);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await installMockApi(page, { drones: [] });
  await page.addInitScript(() => localStorage.setItem('dronetrack.view', JSON.stringify({ center: [10, 50], zoom: 4 })));
  await page.goto(url);
  await page.fill('input[name=email]', 'admin@example.com');
  await page.fill('input[name=password]', 'secret123');
  await page.click('button[type=submit]');
  await page.waitForSelector('.maplibregl-canvas');
  await page.waitForTimeout(2500);
  await browser.startTracing(page, { categories: ['toplevel'] });
  const r = await page.evaluate((o) => window.__dtPerf.run(o), { drones, hz: 1, seconds });
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8'));
  const events = trace.traceEvents ?? trace;
  const TASK = 'ThreadControllerImpl::RunTask';
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  // The page's renderer: the CrRendererMain thread with the most task time.
  let best = { cpu: 0, wall: 0 };
  for (const m of mains) {
    let cpu = 0;
    let wall = 0;
    for (const e of events) {
      if (e.pid === m.pid && e.tid === m.tid && e.ph === 'X' && e.name === TASK) {
        cpu += e.tdur ?? 0;
        wall += e.dur ?? 0;
      }
    }
    if (wall > best.wall) best = { cpu, wall };
  }
  const ms = (us) => Math.round(us / 1000);
  console.log(
    `${drones} drones, ${r.seconds} s feed (+1.5 s seed): renderer main thread busy ${ms(best.wall)} ms wall, ${ms(best.cpu)} ms CPU ` +
      `(${(best.cpu / 1000 / (r.updatesApplied / 1000)).toFixed(1)} ms CPU per 1,000 updates applied); ` +
      `${r.updatesPerSecond} updates/s applied, flush p50 ${r.flushMs.p50} ms, ${r.fps} fps`,
  );
} finally {
  await browser.close();
  server.close();
}
