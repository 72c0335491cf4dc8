import { batch, signal } from '@preact/signals';
import type { Map as MlMap } from 'maplibre-gl';
import { errorText, isUnauthorized } from '../../api/client';
import type { Flight } from '../../types';
import { showAlert } from '../../ui/toasts';
import type { FlightCharts } from './flightCharts';
import { fmtMaybe } from './flightFormat';
import { flightsApi } from './flightsApi';
import { ReplayClock } from './replayClock';
import { ReplayLayer } from './replayLayer';
import { TrackSampler } from './trackSampler';

/** Charts are DOM-heavy; their cursor follows the replay at this rate, not every frame. */
const CHART_CURSOR_MS = 100;
export const SCRUB_STEPS = 1000;

/** The drone at the replay time, as the readout shows it. */
export interface Readout {
  t: number;
  lon: number;
  lat: number;
  index: number;
  /** Texts of the `[data-field]` values. */
  fields: Record<ReadoutField, string>;
  /** Scrubber position 0 … SCRUB_STEPS, or null while the user drags it. */
  scrub: number | null;
}
export const READOUT_FIELDS = [
  ['time', 'Time'],
  ['altitude', 'Altitude'],
  ['heightAgl', 'Height AGL'],
  ['speed', 'Speed'],
  ['battery', 'Battery'],
  ['status', 'Status'],
] as const;
export type ReadoutField = (typeof READOUT_FIELDS)[number][0];

/**
 * The replay of one flight. A frame does only: advance the clock, sample the track (binary
 * search), move the marker (a DOM marker: no map redraw), publish the readout (one signal, which
 * the readout component writes into its DOM synchronously: no component render per frame);
 * chart cursors every CHART_CURSOR_MS. "Follow" re-centres the map only when the drone leaves
 * the middle of the view.
 */
export class ReplayController {
  /** The flight being replayed (null: the flight log is shown). */
  readonly flight = signal<Flight | null>(null);
  readonly track = signal<TrackSampler | null>(null);
  readonly playing = signal(false);
  /** Kept from one flight to the next, like the controls showing them. */
  readonly speed = signal(1);
  readonly follow = signal(false);
  readonly readout = signal<Readout | null>(null);
  private charts: FlightCharts | null = null;
  private clock: ReplayClock | null = null;
  private layer: ReplayLayer | null = null;
  private scrubbing = false;
  private frame = 0;
  private lastFrame = 0;
  private lastChart = 0;
  /** Main-thread ms of the last replay frames' own work (sample, marker, readout, charts): see frameStats. */
  private readonly frameMs: number[] = [];

  attach(map: MlMap): void {
    this.layer = new ReplayLayer(map);
  }

  async open(f: Flight): Promise<void> {
    this.stop();
    try {
      const { points } = await flightsApi.track(f.id);
      if (points.length === 0) return showAlert('This flight has no stored points any more (retention).', 'info');
      const track = new TrackSampler(points);
      this.clock = new ReplayClock(track.start, track.end);
      this.clock.speed = this.speed.peek();
      this.layer?.showTrack(points.map((p) => [p.lon, p.lat]));
      this.layer?.fit(f.bbox);
      batch(() => {
        this.track.value = track;
        this.render();
        this.flight.value = f;
      });
    } catch (e) {
      if (!isUnauthorized(e)) showAlert(`Could not load the flight: ${errorText(e)}`);
    }
  }

  /** The charts component mounted (or unmounted: null) its uPlot charts. */
  setCharts(charts: FlightCharts | null): void {
    this.charts = charts;
    if (charts && this.clock) charts.setTime(this.clock.position);
  }

  toggle(): void {
    const clock = this.clock;
    if (!clock) return;
    if (clock.playing) clock.pause();
    else {
      clock.play();
      this.lastFrame = performance.now();
      this.frame = requestAnimationFrame(this.tick);
    }
    this.playing.value = clock.playing;
  }

  /** Turning "follow" on centres the drone at once. */
  setFollow(on: boolean): void {
    this.follow.value = on;
    if (on) this.render(false, true);
  }

  setSpeed(x: number): void {
    this.speed.value = x;
    if (this.clock) this.clock.speed = x;
  }

  /** The scrubber moved (0 … SCRUB_STEPS); `done` when it is let go. */
  scrubTo(step: number, done = false): void {
    this.scrubbing = !done;
    if (done || !this.clock) return;
    this.seek(this.clock.start + ((this.clock.end - this.clock.start) * step) / SCRUB_STEPS);
  }

  seek(t: number): void {
    this.clock?.seek(t);
    this.render(true, true);
  }

  private tick = (now: number): void => {
    const clock = this.clock;
    if (!clock || !clock.playing) return;
    clock.advance(now - this.lastFrame);
    this.lastFrame = now;
    this.render();
    if (clock.playing) this.frame = requestAnimationFrame(this.tick);
    else this.playing.value = false;
  };

  /** `jump`: a seek or "follow" turned on, which re-centres a following map at once. */
  private render(forceCharts = false, jump = false): void {
    const track = this.track.peek();
    const clock = this.clock;
    if (!track || !clock) return;
    const began = performance.now();
    const s = track.sample(clock.position);
    if (this.follow.peek()) this.layer?.follow(s.lon, s.lat, jump);
    this.layer?.moveMarker(s.lon, s.lat);
    const span = Math.max(clock.end - clock.start, 1);
    this.readout.value = {
      t: Math.round(s.t),
      lon: s.lon,
      lat: s.lat,
      index: s.index,
      scrub: this.scrubbing ? null : Math.round(((s.t - clock.start) / span) * SCRUB_STEPS),
      fields: {
        time: new Date(Math.round(s.t / 1000) * 1000).toLocaleTimeString(),
        altitude: fmtMaybe(s.altitude, 'm'),
        heightAgl: fmtMaybe(s.heightAgl, 'm'),
        speed: fmtMaybe(s.speed, 'm/s', 1),
        battery: fmtMaybe(s.battery, '%'),
        status: s.status,
      },
    };
    const now = performance.now();
    if (forceCharts || now - this.lastChart > CHART_CURSOR_MS) {
      this.lastChart = now;
      this.charts?.setTime(s.t);
    }
    this.frameMs.push(performance.now() - began);
    if (this.frameMs.length > 2000) this.frameMs.splice(0, 1000);
  }

  /** For the perf check: how long the replay's own per-frame step took (ms), newest last. */
  frameStats(): number[] {
    return [...this.frameMs];
  }

  /** Back to the flight log: the replay's layers leave the map. */
  stop(): void {
    cancelAnimationFrame(this.frame);
    this.clock?.pause();
    this.clock = null;
    this.scrubbing = false;
    this.layer?.clear();
    batch(() => {
      this.playing.value = false;
      this.flight.value = null;
      this.track.value = null;
      this.readout.value = null;
    });
  }
}
