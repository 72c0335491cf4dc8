// Scale check: 10,000 drones updating at 1 Hz for ~10 s in headless Chromium (SwiftShader WebGL),
// against web/dist served locally with the API stubbed (page.route). Prints main-thread ms per
// applied update batch, frame intervals and long tasks.
//   npx vite build web && node web/perf/measure.mjs [drones=10000] [seconds=10] [hz=1]
//   MODES=gpu|nogpu|both (default both)   CHROMIUM=/path/to/chromium   WEB_DIST=/other/build (compare builds)
import os from 'node:os';
import { chromium } from 'playwright-core';
import { DIST, startStaticServer } from '../e2e/static-server.mjs';
import { BROWSER_ARGS, BROWSER_ARGS_GPU, installMockApi } from '../e2e/mock-api.mjs';

const drones = Number(process.argv[2] ?? 10000);
const seconds = Number(process.argv[3] ?? 10);
const hz = Number(process.argv[4] ?? 1);
const modes = {
  gpu: ['SwiftShader WebGL + GPU compositing (--use-angle=swiftshader)', BROWSER_ARGS_GPU],
  nogpu: ['SwiftShader WebGL + software compositing (--disable-gpu --use-gl=swiftshader)', BROWSER_ARGS],
};
const which = (process.env.MODES ?? 'both') === 'both' ? ['gpu', 'nogpu'] : [process.env.MODES];

const cpu = os.cpus();
console.log(
  `machine: ${cpu.length} cores, ${cpu[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const dist = process.env.WEB_DIST ?? DIST;
console.log(`build: ${dist}`);
const { server, url } = await startStaticServer(dist);
try {
  for (const mode of which) {
    const [label, args] = modes[mode];
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
      page.on('pageerror', (e) => console.error('pageerror:', e.message));
      await installMockApi(page, { drones: [] });
      // Europe at zoom 4: every synthetic drone is inside the view (worst case for rendering).
      await page.addInitScript(() => localStorage.setItem('dronetrack.view', JSON.stringify({ center: [10, 50], zoom: 4 })));
      await page.goto(url);
      await page.fill('input[name=email]', 'admin@example.com');
      await page.fill('input[name=password]', 'secret123');
      await page.click('button[type=submit]');
      await page.waitForSelector('.maplibregl-canvas');
      await page.waitForTimeout(2500); // basemap and first frames
      const renderer = await page.evaluate(() => {
        const gl = document.querySelector('.maplibregl-canvas').getContext('webgl2');
        const ext = gl?.getExtension('WEBGL_debug_renderer_info');
        return ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : 'unknown';
      });
      const emptyFps = await page.evaluate(() => window.__dtPerf.renderFps(3));
      const r = await page.evaluate((o) => window.__dtPerf.run(o), { drones, hz, seconds });
      await page.screenshot({ path: `/tmp/web-perf-${mode}.png` });
      console.log(`\n== ${label}\nWebGL: ${renderer}; 1400x860 viewport; basemap-only redraw ceiling ${emptyFps} fps`);
      console.log(
        `load: ${r.drones} drones at ${r.hz} Hz for ${r.seconds} s -> ${r.updatesApplied} updates applied (${r.updatesPerSecond}/s)`,
      );
      console.log(
        `main-thread ms per applied batch: p50 ${r.batchMs.p50}  p95 ${r.batchMs.p95}  max ${r.batchMs.max}  (mean ${r.batchMs.mean}, ${r.batchMs.n} batches, size p50 ${r.batchSize.p50} max ${r.batchSize.max})`,
      );
      console.log(
        `  of which the per-frame flush (one block): p50 ${r.flushMs.p50}  p95 ${r.flushMs.p95}  max ${r.flushMs.max}; JSON.parse as messages arrive: p50 ${r.parseMs.p50}  p95 ${r.parseMs.p95}`,
      );
      console.log(
        `frame interval ms: p50 ${r.frameIntervalMs.p50}  p95 ${r.frameIntervalMs.p95}  max ${r.frameIntervalMs.max}  (${r.fps} fps)`,
      );
      console.log(`long tasks (>50 ms): ${r.longTasks.count}, total ${r.longTasks.totalMs} ms, max ${r.longTasks.maxMs} ms`);
      console.log(
        `synthetic source (JSON.stringify, not app cost) per 50 ms tick: p50 ${r.generatorMsPerTick.p50} ms, p95 ${r.generatorMsPerTick.p95} ms`,
      );
      if (process.env.JSON) console.log(JSON.stringify(r, null, 2));
    } finally {
      await browser.close();
    }
  }
} finally {
  server.close();
}
