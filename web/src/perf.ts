import type { LiveApp } from './app/liveApp';

/** What the harness drives: the running app's store, stream and map (see app/liveApp.ts). */
type PerfTarget = Pick<LiveApp, 'store' | 'stream' | 'map' | 'flights' | 'mapMounted'>;

let target: PerfTarget | null = null;

/** Set by <App> while a user is signed in and the map is mounted. */
export function setPerfTarget(app: PerfTarget | null): void {
  target = app;
}
const getApp = (): PerfTarget | null => (target?.mapMounted ? target : null);

/**
 * Scale harness: window.__dtPerf.run({ drones: 10000, hz: 1, seconds: 10 }) pauses the real
 * stream, seeds N synthetic drones in the current view and feeds them as SSE-like JSON strings
 * through the same path as the live stream (parse → buffer → one diff per animation frame),
 * then reports main-thread time per applied update batch.
 */
export interface PerfOptions {
  drones?: number;
  hz?: number; // updates per drone per second
  seconds?: number;
  tickMs?: number; // how often a slice of updates arrives
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

function summary(values: number[]): Summary {
  const v = [...values].sort((a, b) => a - b);
  const q = (x: number) => (v.length ? v[Math.min(v.length - 1, Math.floor(x * v.length))] : 0);
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    n: v.length,
    p50: r(q(0.5)),
    p95: r(q(0.95)),
    max: r(v[v.length - 1] ?? 0),
    mean: r(v.reduce((a, b) => a + b, 0) / (v.length || 1)),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function installPerf(): void {
  (window as unknown as { __dtPerf: unknown }).__dtPerf = {
    async run(opts: PerfOptions = {}) {
      const app = getApp();
      if (!app) throw new Error('Sign in first: the perf harness drives the live map.');
      const drones = opts.drones ?? 10000;
      const hz = opts.hz ?? 1;
      const seconds = opts.seconds ?? 10;
      const tickMs = opts.tickMs ?? 50;
      app.stream.pause();
      const [w, s, e, n] = app.map.bbox();
      const lon = new Float64Array(drones);
      const lat = new Float64Array(drones);
      const hdg = new Float64Array(drones);
      for (let i = 0; i < drones; i++) {
        lon[i] = w + Math.random() * (e - w);
        lat[i] = s + Math.random() * (n - s);
        hdg[i] = Math.random() * 360;
      }
      const statuses = ['airborne', 'airborne', 'airborne', 'ground', 'emergency', 'unknown'];
      const step = Math.min(e - w, n - s) / 2000;
      const json = (i: number, t: number) => {
        hdg[i] = (hdg[i] + (Math.random() - 0.5) * 20 + 360) % 360;
        const rad = (hdg[i] * Math.PI) / 180;
        lon[i] = Math.min(e, Math.max(w, lon[i] + Math.sin(rad) * step));
        lat[i] = Math.min(n, Math.max(s, lat[i] + Math.cos(rad) * step));
        const battery = (i * 7) % 100;
        const ts = new Date(t).toISOString();
        const x = lon[i].toFixed(6);
        const y = lat[i].toFixed(6);
        // Same shape as an SSE `data:` line of the real stream (built by hand: cheaper than JSON.stringify).
        return `{"type":"Feature","id":"perf-${i}","geometry":{"type":"Point","coordinates":[${x},${y}]},"properties":{"name":"Perf ${i}","timestamp":"${ts}","lat":${y},"lon":${x},"altitude":120,"speed":12,"heading":${hdg[i].toFixed(1)},"battery":${battery},"status":"${statuses[i % statuses.length]}","online":${i % 50 !== 0},"lowBattery":${battery < 20},"lastSeenAt":"${ts}"}}`;
      };
      // Seed (not measured), then let the map settle.
      const t0 = Date.now();
      for (let i = 0; i < drones; i++) app.store.ingestRaw(json(i, t0));
      await sleep(1500);

      const batches: number[] = [];
      const flushes: number[] = [];
      const parses: number[] = [];
      const sizes: number[] = [];
      const frames: number[] = [];
      const gen: number[] = [];
      const longTasks: number[] = [];
      const prevOnBatch = app.store.onBatch;
      app.store.onBatch = (b) => {
        batches.push(b.flushMs + b.parseMs);
        flushes.push(b.flushMs);
        parses.push(b.parseMs);
        sizes.push(b.count);
      };
      let obs: PerformanceObserver | null;
      try {
        obs = new PerformanceObserver((l) => l.getEntries().forEach((en) => longTasks.push(en.duration)));
        obs.observe({ type: 'longtask', buffered: false });
      } catch {
        obs = null;
      }
      let running = true;
      let last = performance.now();
      const frame = (now: number) => {
        frames.push(now - last);
        last = now;
        if (running) requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
      const perTick = (drones * hz * tickMs) / 1000;
      let cursor = 0;
      let carry = 0;
      const iv = setInterval(() => {
        const g0 = performance.now();
        carry += perTick;
        const k = Math.floor(carry);
        carry -= k;
        const t = Date.now();
        for (let j = 0; j < k; j++) {
          app.store.ingestRaw(json(cursor, t));
          cursor = (cursor + 1) % drones;
        }
        gen.push(performance.now() - g0);
      }, tickMs);
      const started = performance.now();
      await sleep(seconds * 1000);
      clearInterval(iv);
      const elapsed = (performance.now() - started) / 1000;
      running = false;
      obs?.disconnect();
      app.store.onBatch = prevOnBatch;
      const updates = sizes.reduce((a, b) => a + b, 0);
      return {
        drones,
        hz,
        seconds: Math.round(elapsed * 10) / 10,
        updatesApplied: updates,
        updatesPerSecond: Math.round(updates / elapsed),
        batchMs: summary(batches), // main-thread ms per applied batch: JSON.parse of its messages + the flush
        flushMs: summary(flushes), // the single synchronous block per frame (merge, diff to MapLibre, UI notify)
        parseMs: summary(parses),
        batchSize: summary(sizes),
        frameIntervalMs: summary(frames.slice(1)),
        fps: Math.round((frames.length / elapsed) * 10) / 10,
        generatorMsPerTick: summary(gen), // the synthetic source itself (JSON.stringify), not app cost
        longTasks: {
          count: longTasks.length,
          totalMs: Math.round(longTasks.reduce((a, b) => a + b, 0)),
          maxMs: Math.round(Math.max(0, ...longTasks)),
        },
      };
    },
    /** The running app (debugging and tests). */
    app: () => getApp(),
    /** Frames per second when the map is forced to redraw every frame (the GPU/rasteriser ceiling). */
    async renderFps(seconds = 3) {
      const app = getApp();
      if (!app) throw new Error('Sign in first.');
      const map = app.map.map;
      let frames = 0;
      let running = true;
      const onRender = () => {
        frames++;
        if (running) map.triggerRepaint();
      };
      map.on('render', onRender);
      map.triggerRepaint();
      const t0 = performance.now();
      await sleep(seconds * 1000);
      running = false;
      map.off('render', onRender);
      return Math.round((frames / ((performance.now() - t0) / 1000)) * 10) / 10;
    },
    /** Drop the synthetic drones and resume the real stream. */
    stop() {
      const app = getApp();
      if (!app) return;
      for (const id of Array.from(app.store.features.keys())) if (id.startsWith('perf-')) app.store.remove(id);
      app.stream.open();
    },
  };
}
