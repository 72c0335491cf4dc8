import { h } from '../../ui/dom';
import { fmtBatteryUsed, fmtDate, fmtDistance, fmtDuration, fmtMaxHeight } from './flight-format';
import type { Flight } from '../../types/flight';

/** The drone's flights, newest first: one row per flight; a click opens its replay. */
export class FlightLogTable {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;
  private readonly more: HTMLButtonElement;
  private readonly empty: HTMLElement;

  constructor(
    onOpen: (flight: Flight) => void,
    onMore: () => void,
  ) {
    this.body = h('tbody', {});
    this.body.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest('tr');
      const flight = row && this.flights.get(row.dataset.flightId ?? '');
      if (flight) onOpen(flight);
    });
    this.more = h('button', { type: 'button', class: 'btn', 'data-testid': 'flight-log-more', hidden: true, onclick: () => onMore() }, 'Older flights');
    this.empty = h('p', { class: 'muted', hidden: true }, 'No flights recorded yet.');
    this.el = h(
      'div',
      { class: 'flight-log' },
      h(
        'table',
        { class: 'flight-table', 'data-testid': 'flight-log-table' },
        h('thead', {}, h('tr', {}, ...['Date', 'Duration', 'Distance', 'Max height', 'Battery used'].map((t) => h('th', {}, t)))),
        this.body,
      ),
      this.empty,
      this.more,
    );
  }

  private readonly flights = new Map<string, Flight>();

  clear(): void {
    this.flights.clear();
    this.body.replaceChildren();
    this.empty.hidden = true;
  }

  append(items: Flight[], hasMore: boolean): void {
    for (const f of items) {
      this.flights.set(f.id, f);
      this.body.append(
        h(
          'tr',
          { 'data-flight-id': f.id, tabindex: 0, class: f.ongoing ? 'ongoing' : '' },
          h('td', {}, fmtDate(f.startedAt), f.ongoing ? h('span', { class: 'badge' }, 'in the air') : null),
          h('td', {}, fmtDuration(f.durationSeconds)),
          h('td', {}, fmtDistance(f.distanceMeters)),
          h('td', {}, fmtMaxHeight(f)),
          h('td', {}, fmtBatteryUsed(f)),
        ),
      );
    }
    this.empty.hidden = this.flights.size > 0;
    this.more.hidden = !hasMore;
  }
}
