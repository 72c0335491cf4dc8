import { h, setText, showAlert } from '../../ui/dom';
import { alertsApi } from './alertsApi';
import { ALERT_LABELS, ALERT_TYPES, type Alert } from './alertTypes';

export interface AlertsPanelOptions {
  droneName: (id: string) => string;
  droneIds: () => Iterable<string>;
  /** The set of drones with an open alert changed (list and map marks). */
  onOpenChange: (droneIds: ReadonlySet<string>) => void;
  onSelectDrone: (id: string) => void;
}

/**
 * Open alerts kept live from the stream (event: alert), with acknowledge, and the history
 * filtered by type and drone. Any user may acknowledge.
 */
export class AlertsPanel {
  readonly el: HTMLElement;
  private readonly open = new Map<string, Alert>();
  private readonly openList: HTMLElement;
  private readonly historyList: HTMLElement;
  private readonly count: HTMLElement;
  private readonly fType: HTMLSelectElement;
  private readonly fDrone: HTMLSelectElement;

  constructor(private readonly o: AlertsPanelOptions) {
    this.count = h('span', { class: 'alerts-count', 'data-testid': 'open-alert-count' }, '0');
    this.openList = h('ul', { class: 'alert-list', 'data-testid': 'open-alerts' });
    this.historyList = h('ul', { class: 'alert-list', 'data-testid': 'alert-history' });
    this.fType = h('select', { 'aria-label': 'Alert type filter', 'data-testid': 'history-type' }, h('option', { value: '' }, 'Any type'), ...ALERT_TYPES.map((t) => h('option', { value: t }, ALERT_LABELS[t])));
    this.fDrone = h('select', { 'aria-label': 'Alert drone filter', 'data-testid': 'history-drone' }, h('option', { value: '' }, 'Any drone'));
    this.fType.addEventListener('change', () => void this.loadHistory());
    this.fDrone.addEventListener('change', () => void this.loadHistory());
    this.fDrone.addEventListener('focus', () => this.fillDrones());
    const history = h('details', { class: 'alert-history' }, h('summary', {}, 'History'), h('div', { class: 'filter-row' }, this.fType, this.fDrone), this.historyList);
    history.addEventListener('toggle', () => (history as HTMLDetailsElement).open && void this.loadHistory());
    this.el = h('section', { class: 'alerts-panel', 'aria-label': 'Alerts', 'data-testid': 'alerts-panel' }, h('h2', {}, 'Alerts ', this.count), this.openList, history);
  }

  async load(): Promise<void> {
    try {
      const page = await alertsApi.list({ state: 'open' }, 500);
      this.open.clear();
      for (const a of page.items) this.open.set(a.id, a);
      this.render();
    } catch (e) {
      showAlert(`Could not load the alerts: ${(e as Error).message}`);
    }
  }

  /** An `event: alert` from the stream: opened, resolved or acknowledged. */
  ingestRaw(data: string): void {
    let a: Alert;
    try {
      a = JSON.parse(data) as Alert;
    } catch {
      return;
    }
    if (a.state === 'open') this.open.set(a.id, a);
    else this.open.delete(a.id);
    this.render();
  }

  private render(): void {
    const items = [...this.open.values()].sort((a, b) => b.openedAt.localeCompare(a.openedAt));
    setText(this.count, String(items.length));
    this.openList.replaceChildren(...items.map((a) => this.row(a, true)));
    this.o.onOpenChange(new Set(items.map((a) => a.droneId)));
  }

  private row(a: Alert, actions: boolean): HTMLElement {
    const name = h('button', { type: 'button', class: 'link' }, this.o.droneName(a.droneId));
    name.addEventListener('click', () => this.o.onSelectDrone(a.droneId));
    const ack = a.acknowledgedAt
      ? h('span', { class: 'badge', 'data-testid': 'acknowledged' }, 'acknowledged')
      : actions
        ? h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'ack' }, 'Acknowledge')
        : null;
    if (ack instanceof HTMLButtonElement) ack.addEventListener('click', () => void this.ack(a.id, ack));
    return h(
      'li',
      { class: `alert-row alert-${a.type} ${a.state}`, 'data-alert-id': a.id, 'data-testid': 'alert-row', 'data-type': a.type },
      h('b', {}, ALERT_LABELS[a.type]),
      ' ',
      name,
      h('span', { class: 'alert-msg' }, a.message),
      h('time', { datetime: a.openedAt }, new Date(a.openedAt).toLocaleTimeString()),
      a.state === 'resolved' ? h('span', { class: 'badge' }, 'resolved') : null,
      ack,
    );
  }

  private async ack(id: string, btn: HTMLButtonElement): Promise<void> {
    btn.disabled = true;
    try {
      const a = await alertsApi.ack(id);
      if (a.state === 'open') this.open.set(a.id, a);
      this.render();
    } catch (e) {
      btn.disabled = false;
      showAlert(`Could not acknowledge: ${(e as Error).message}`);
    }
  }

  private fillDrones(): void {
    const current = this.fDrone.value;
    const ids = [...this.o.droneIds()];
    this.fDrone.replaceChildren(h('option', { value: '' }, 'Any drone'), ...ids.map((id) => h('option', { value: id }, this.o.droneName(id))));
    this.fDrone.value = current;
  }

  private async loadHistory(): Promise<void> {
    try {
      const page = await alertsApi.list({ state: 'all', type: this.fType.value || undefined, droneId: this.fDrone.value || undefined }, 100);
      this.historyList.replaceChildren(...page.items.map((a) => this.row(a, false)));
    } catch (e) {
      showAlert(`Could not load the alert history: ${(e as Error).message}`);
    }
  }
}
