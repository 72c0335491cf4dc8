import { h, setText } from '../../ui/dom';
import { fmtMaybe } from './flight-format';
import { flightExportUrl } from './flights-api';
import { REPLAY_SPEEDS } from './replay-clock';
import type { Sample } from './track-sampler';
import { EXPORT_FORMATS, type Flight } from '../../types/flight';

export interface ReplayControlHandlers {
  toggle: () => void;
  speed: (x: number) => void;
  seek: (t: number) => void;
  follow: (on: boolean) => void;
}

const SCRUB_STEPS = 1000;

/** Play/pause, speed, scrubber, follow, the drone's values at the replay time, and export links. */
export class ReplayControls {
  readonly el: HTMLElement;
  private readonly playBtn: HTMLButtonElement;
  private readonly scrubber: HTMLInputElement;
  private readonly values = new Map<string, HTMLElement>();
  private readonly readout: HTMLElement;
  private readonly exports: HTMLElement;
  private start = 0;
  private end = 1;
  private scrubbing = false;

  constructor(on: ReplayControlHandlers) {
    this.playBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'replay-play', onclick: () => on.toggle() }, 'Play');
    const speed = h('select', { 'data-testid': 'replay-speed', 'aria-label': 'Replay speed' }, ...REPLAY_SPEEDS.map((x) => h('option', { value: x }, `${x}×`)));
    speed.addEventListener('change', () => on.speed(Number(speed.value)));
    this.scrubber = h('input', { type: 'range', min: 0, max: SCRUB_STEPS, value: 0, step: 1, 'data-testid': 'replay-scrubber', 'aria-label': 'Replay position' });
    this.scrubber.addEventListener('input', () => {
      this.scrubbing = true;
      on.seek(this.start + ((this.end - this.start) * Number(this.scrubber.value)) / SCRUB_STEPS);
    });
    this.scrubber.addEventListener('change', () => (this.scrubbing = false));
    const follow = h('input', { type: 'checkbox', 'data-testid': 'replay-follow' });
    follow.addEventListener('change', () => on.follow(follow.checked));

    const dl = h('dl', { class: 'fields replay-values' });
    for (const [key, label] of [['time', 'Time'], ['altitude', 'Altitude'], ['heightAgl', 'Height AGL'], ['speed', 'Speed'], ['battery', 'Battery'], ['status', 'Status']]) {
      const dd = h('dd', { 'data-field': key });
      this.values.set(key, dd);
      dl.append(h('dt', {}, label), dd);
    }
    this.readout = h('div', { class: 'replay-readout', 'data-testid': 'replay-readout' }, dl);
    this.exports = h('div', { class: 'replay-exports', 'data-testid': 'flight-exports' });
    this.el = h(
      'div',
      { class: 'replay-controls' },
      h('div', { class: 'replay-row' }, this.playBtn, speed, h('label', { class: 'follow' }, follow, ' follow')),
      this.scrubber,
      this.readout,
      this.exports,
    );
  }

  setFlight(f: Flight, start: number, end: number): void {
    this.start = start;
    this.end = Math.max(end, start + 1);
    this.exports.replaceChildren(
      h('span', { class: 'muted' }, 'Export: '),
      ...EXPORT_FORMATS.map((fmt) => h('a', { class: 'btn', href: flightExportUrl(f.id, fmt), download: '', 'data-testid': `export-${fmt}` }, fmt.toUpperCase())),
    );
  }

  setPlaying(playing: boolean): void {
    setText(this.playBtn, playing ? 'Pause' : 'Play');
    this.playBtn.dataset.state = playing ? 'playing' : 'paused';
  }

  /** Per frame: text only changes when the value does (setText), so the DOM work stays small. */
  show(s: Sample): void {
    if (!this.scrubbing) this.scrubber.value = String(Math.round(((s.t - this.start) / (this.end - this.start)) * SCRUB_STEPS));
    const v = (k: string, text: string) => setText(this.values.get(k)!, text);
    v('time', new Date(Math.round(s.t / 1000) * 1000).toLocaleTimeString());
    v('altitude', fmtMaybe(s.altitude, 'm'));
    v('heightAgl', fmtMaybe(s.heightAgl, 'm'));
    v('speed', fmtMaybe(s.speed, 'm/s', 1));
    v('battery', fmtMaybe(s.battery, '%'));
    v('status', s.status);
    const d = this.readout.dataset;
    d.t = String(Math.round(s.t));
    d.lon = String(s.lon);
    d.lat = String(s.lat);
    d.index = String(s.index);
  }
}
