import { h, setText } from '../../ui/dom';
import { fmtAgo, fmtAltitude, fmtBattery, fmtCoord, fmtHeading, fmtSpeed } from '../../ui/format';
import type { Drone, DroneProps } from '../../types/drone';

const FIELDS: [key: string, label: string][] = [
  ['serialNumber', 'Serial number'],
  ['model', 'Model'],
  ['status', 'Status'],
  ['online', 'Connection'],
  ['battery', 'Battery'],
  ['speed', 'Speed'],
  ['altitude', 'Altitude'],
  ['heading', 'Heading'],
  ['position', 'Position'],
  ['lastSeen', 'Last seen'],
  ['track', 'Track (15 min)'],
];

export interface DetailActions {
  close: () => void;
  rotateKey: (id: string) => void;
  remove: (id: string) => void;
  flights: (id: string) => void;
}

/** Side panel for the selected drone (data-testid="drone-detail"). */
export class DetailPanel {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly values = new Map<string, HTMLElement>();
  private readonly adminBox: HTMLElement;
  private id: string | null = null;

  constructor(actions: DetailActions) {
    this.title = h('h2', { 'data-field': 'name' });
    const dl = h('dl', { class: 'fields' });
    for (const [key, label] of FIELDS) {
      const dd = h('dd', { 'data-field': key });
      this.values.set(key, dd);
      dl.append(h('dt', {}, label), dd);
    }
    this.adminBox = h(
      'div',
      { class: 'detail-admin', hidden: true },
      h('button', { type: 'button', class: 'btn', 'data-testid': 'rotate-key', onclick: () => this.id && actions.rotateKey(this.id) }, 'Rotate device key'),
      h('button', { type: 'button', class: 'btn btn-danger', 'data-testid': 'delete-drone', onclick: () => this.id && actions.remove(this.id) }, 'Delete drone'),
    );
    this.el = h(
      'section',
      { class: 'detail', 'data-testid': 'drone-detail', 'aria-label': 'Selected drone', hidden: true },
      h('header', { class: 'detail-head' }, this.title, h('button', { type: 'button', class: 'icon-btn', 'aria-label': 'Close details', 'data-testid': 'detail-close', onclick: () => actions.close() }, '×')),
      dl,
      h('div', { class: 'detail-admin' }, h('button', { type: 'button', class: 'btn', 'data-testid': 'open-flight-log', onclick: () => this.id && actions.flights(this.id) }, 'Flight log')),
      this.adminBox,
    );
  }

  get droneId(): string | null {
    return this.id;
  }

  setAdmin(isAdmin: boolean): void {
    this.adminBox.hidden = !isAdmin;
  }

  show(id: string): void {
    this.id = id;
    this.el.dataset.droneId = id;
    this.el.hidden = false;
  }

  hide(): void {
    this.id = null;
    delete this.el.dataset.droneId;
    this.el.hidden = true;
  }

  render(drone: Drone | undefined, p: Partial<DroneProps> | null, online: boolean, trackPoints: number | null, now: number): void {
    if (!this.id) return;
    setText(this.title, drone?.name ?? p?.name ?? this.id);
    const v = (k: string, text: string) => setText(this.values.get(k)!, text);
    v('serialNumber', drone?.serialNumber || '—');
    v('model', drone?.model || '—');
    v('status', p?.status ?? (p ? 'unknown' : 'no position yet'));
    v('online', p ? (online ? 'online' : 'offline') : 'never seen');
    v('battery', fmtBattery(p));
    this.values.get('battery')!.classList.toggle('low', !!p?.lowBattery);
    this.values.get('online')!.classList.toggle('off', !!p && !online);
    v('speed', fmtSpeed(p?.speed));
    v('altitude', fmtAltitude(p?.altitude));
    v('heading', fmtHeading(p?.heading));
    v('position', fmtCoord(p?.lat, p?.lon));
    v('lastSeen', p ? fmtAgo(p.lastSeenAt ?? p.timestamp, now) : 'never');
    v('track', trackPoints == null ? 'loading…' : `${trackPoints} point${trackPoints === 1 ? '' : 's'}`);
  }
}
