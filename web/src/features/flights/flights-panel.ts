import './flights.css';
import type { Map as MlMap } from 'maplibre-gl';
import { ApiError } from '../../api/client';
import { h, setText, showAlert } from '../../ui/dom';
import { FlightCharts } from './flight-charts';
import { FlightLogTable } from './flight-log';
import { flightsApi } from './flights-api';
import { ReplayClock } from './replay-clock';
import { ReplayControls } from './replay-controls';
import { ReplayLayer } from './replay-layer';
import { TrackSampler } from './track-sampler';
import type { Flight } from '../../types/flight';

/** Charts are DOM-heavy; their cursor follows the replay at this rate, not every frame. */
const CHART_CURSOR_MS = 100;

/**
 * The flight log of one drone and the replay of one of its flights (data-testid="flight-panel").
 * A frame does: advance the clock, sample the track (binary search), move the marker (one
 * GeoJSON source), update the readout; charts every CHART_CURSOR_MS.
 */
export class FlightsPanel {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly log: FlightLogTable;
  private readonly replayBox: HTMLElement;
  private readonly controls: ReplayControls;
  private readonly charts: FlightCharts;
  private readonly layer: ReplayLayer;
  private droneId: string | null = null;
  private cursor: string | null = null;
  private ctl: AbortController | null = null;
  private track: TrackSampler | null = null;
  private clock: ReplayClock | null = null;
  private frame = 0;
  private lastFrame = 0;
  private lastChart = 0;
  private followOn = false;
  /** Main-thread ms of the last replay frames' own work (sample, marker, readout, charts): see frameStats. */
  private readonly frameMs: number[] = [];

  constructor(map: MlMap) {
    this.layer = new ReplayLayer(map);
    this.title = h('h2', {});
    this.log = new FlightLogTable((f) => void this.openFlight(f), () => void this.loadPage());
    this.controls = new ReplayControls({
      toggle: () => this.toggle(),
      speed: (x) => this.clock && (this.clock.speed = x),
      seek: (t) => this.seek(t),
      follow: (on) => (this.followOn = on),
    });
    this.charts = new FlightCharts((t) => this.seek(t));
    this.replayBox = h('div', { class: 'replay', 'data-testid': 'flight-replay', hidden: true }, h('button', { type: 'button', class: 'btn', 'data-testid': 'replay-back', onclick: () => this.closeReplay() }, '← Flight log'), this.controls.el, this.charts.el);
    this.el = h(
      'section',
      { class: 'flights-panel', 'data-testid': 'flight-panel', 'aria-label': 'Flight log', hidden: true },
      h('header', { class: 'detail-head' }, this.title, h('button', { type: 'button', class: 'icon-btn', 'aria-label': 'Close flight log', 'data-testid': 'flight-panel-close', onclick: () => this.close() }, '×')),
      this.log.el,
      this.replayBox,
    );
  }

  async open(droneId: string, name: string): Promise<void> {
    this.close();
    this.droneId = droneId;
    this.el.hidden = false;
    this.el.dataset.droneId = droneId;
    setText(this.title, `Flights of ${name}`);
    await this.loadPage();
  }

  private async loadPage(): Promise<void> {
    const droneId = this.droneId;
    if (!droneId) return;
    this.ctl?.abort();
    const ctl = (this.ctl = new AbortController());
    try {
      const page = await flightsApi.list(droneId, this.cursor, ctl.signal);
      if (ctl.signal.aborted || this.droneId !== droneId) return;
      this.cursor = page.nextCursor;
      this.log.append(page.items, !!page.nextCursor);
      this.el.dataset.loaded = 'true';
    } catch (e) {
      if ((e as Error).name !== 'AbortError' && !(e instanceof ApiError && e.status === 401)) showAlert(`Could not load the flight log: ${(e as Error).message}`);
    }
  }

  private async openFlight(f: Flight): Promise<void> {
    this.stopReplay();
    try {
      const { points } = await flightsApi.track(f.id);
      if (points.length === 0) return showAlert('This flight has no stored points any more (retention).', 'info');
      this.track = new TrackSampler(points);
      this.clock = new ReplayClock(this.track.start, this.track.end);
      this.layer.showTrack(points.map((p) => [p.lon, p.lat]));
      this.layer.fit(f.bbox);
      this.log.el.hidden = true;
      this.replayBox.hidden = false;
      this.replayBox.dataset.flightId = f.id;
      this.controls.setFlight(f, this.track.start, this.track.end);
      this.charts.show(this.track);
      this.render();
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) showAlert(`Could not load the flight: ${(e as Error).message}`);
    }
  }

  private toggle(): void {
    const clock = this.clock;
    if (!clock) return;
    if (clock.playing) clock.pause();
    else {
      clock.play();
      this.lastFrame = performance.now();
      this.frame = requestAnimationFrame(this.tick);
    }
    this.controls.setPlaying(clock.playing);
  }

  private seek(t: number): void {
    this.clock?.seek(t);
    this.render(true);
  }

  private tick = (now: number): void => {
    const clock = this.clock;
    if (!clock || !clock.playing) return;
    clock.advance(now - this.lastFrame);
    this.lastFrame = now;
    this.render();
    if (clock.playing) this.frame = requestAnimationFrame(this.tick);
    else this.controls.setPlaying(false);
  };

  private render(forceCharts = false): void {
    if (!this.track || !this.clock) return;
    const began = performance.now();
    const s = this.track.sample(this.clock.position);
    this.layer.moveMarker(s.lon, s.lat);
    if (this.followOn) this.layer.follow(s.lon, s.lat);
    this.controls.show(s);
    const now = performance.now();
    if (forceCharts || now - this.lastChart > CHART_CURSOR_MS) {
      this.lastChart = now;
      this.charts.setTime(s.t);
    }
    this.frameMs.push(performance.now() - began);
    if (this.frameMs.length > 2000) this.frameMs.splice(0, 1000);
  }

  /** For the perf check: how long the replay's own per-frame step took (ms), newest last. */
  frameStats(): number[] {
    return [...this.frameMs];
  }

  private stopReplay(): void {
    cancelAnimationFrame(this.frame);
    this.clock?.pause();
    this.controls.setPlaying(false);
    this.clock = null;
    this.track = null;
    this.charts.destroy();
    this.layer.clear();
  }

  private closeReplay(): void {
    this.stopReplay();
    this.replayBox.hidden = true;
    this.log.el.hidden = false;
  }

  close(): void {
    this.ctl?.abort();
    this.closeReplay();
    this.log.clear();
    this.cursor = null;
    this.droneId = null;
    delete this.el.dataset.loaded;
    this.el.hidden = true;
  }
}
