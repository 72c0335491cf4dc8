import { h, setText } from '../../ui/dom';
import { fmtBattery } from '../../ui/format';
import type { Drone, DroneProps } from '../../types/drone';
import { STATUSES } from '../../types/drone';

export interface ListSource {
  catalogue: ReadonlyMap<string, Drone>;
  /** Live state from the map features, if known. */
  live: (id: string) => DroneProps | undefined;
  /** ids known only from the map (not yet in the catalogue). */
  liveIds: () => Iterable<string>;
  isOnline: (p: Partial<DroneProps> | null | undefined) => boolean;
  /** The drone has an open alert (marked in the list). */
  hasAlert?: (id: string) => boolean;
}

interface Entry {
  id: string;
  name: string;
  key: string; // lower-case name + serial, for search
}

const ROW_H = 48;
const OVERSCAN = 6;

/**
 * Virtualised drone list: only the rows in view (plus a few) exist in the DOM, so 10,000
 * drones cost the same as 30. Live state changes re-render at most twice a second.
 */
export class DroneList {
  readonly el: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly count: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly fOnline: HTMLSelectElement;
  private readonly fLow: HTMLInputElement;
  private readonly fStatus: HTMLSelectElement;
  private sorted: Entry[] = [];
  private sortedDirty = true;
  private filtered: Entry[] = [];
  private rows: HTMLButtonElement[] = [];
  private selected: string | null = null;
  private raf = 0;
  private liveTimer: ReturnType<typeof setTimeout> | null = null;
  private loadingText = '';

  constructor(
    private readonly src: ListSource,
    private readonly onSelect: (id: string) => void,
  ) {
    this.search = h('input', { type: 'search', name: 'search', placeholder: 'Search by name or serial', 'aria-label': 'Search drones by name', 'data-testid': 'drone-search', autocomplete: 'off' });
    this.fOnline = h(
      'select',
      { name: 'online', 'aria-label': 'Connection filter', 'data-testid': 'filter-online' },
      h('option', { value: '' }, 'Any connection'),
      h('option', { value: 'online' }, 'Online'),
      h('option', { value: 'offline' }, 'Offline'),
    );
    this.fStatus = h(
      'select',
      { name: 'status', 'aria-label': 'Status filter', 'data-testid': 'filter-status' },
      h('option', { value: '' }, 'Any status'),
      ...STATUSES.map((s) => h('option', { value: s }, s)),
    );
    this.fLow = h('input', { type: 'checkbox', name: 'lowBattery', 'data-testid': 'filter-low-battery' });
    for (const c of [this.search, this.fOnline, this.fStatus, this.fLow]) c.addEventListener('input', () => this.refresh());
    this.count = h('div', { class: 'list-count', 'data-testid': 'drone-count', 'aria-live': 'polite' });
    this.spacer = h('div', { class: 'list-spacer' });
    this.scroller = h('div', { class: 'list-scroll', role: 'list', 'aria-label': 'Drones', 'data-testid': 'drone-list' }, this.spacer);
    this.scroller.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.spacer.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('[data-drone-id]');
      if (row?.dataset.droneId) this.onSelect(row.dataset.droneId);
    });
    this.el = h(
      'aside',
      { class: 'sidebar', 'aria-label': 'Drone list' },
      h('div', { class: 'filters' }, this.search, h('div', { class: 'filter-row' }, this.fOnline, this.fStatus), h('label', { class: 'check' }, this.fLow, ' Low battery only')),
      this.count,
      this.scroller,
    );
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
  }

  setLoading(text: string): void {
    this.loadingText = text;
    this.schedule();
  }

  /** The set of drones or their names changed. */
  invalidate(): void {
    this.sortedDirty = true;
    this.refresh();
  }

  /** Live state changed: throttled to 2 renders per second. */
  liveChanged(): void {
    if (this.liveTimer) return;
    this.liveTimer = setTimeout(() => {
      this.liveTimer = null;
      this.refresh();
    }, 500);
  }

  setSelected(id: string | null): void {
    this.selected = id;
    this.schedule();
  }

  /** Re-filter and re-render now (next frame). */
  refresh(): void {
    this.filter();
    this.schedule();
  }

  private rebuild(): void {
    const seen = new Set<string>();
    const list: Entry[] = [];
    for (const d of this.src.catalogue.values()) {
      seen.add(d.id);
      list.push({ id: d.id, name: d.name, key: `${d.name}\u0000${d.serialNumber ?? ''}`.toLowerCase() });
    }
    for (const id of this.src.liveIds()) {
      if (seen.has(id)) continue;
      const name = this.src.live(id)?.name ?? id;
      list.push({ id, name, key: name.toLowerCase() });
    }
    const coll = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
    list.sort((a, b) => coll.compare(a.name, b.name) || (a.id < b.id ? -1 : 1));
    this.sorted = list;
    this.sortedDirty = false;
  }

  private filter(): void {
    if (this.sortedDirty) this.rebuild();
    const q = this.search.value.trim().toLowerCase();
    const online = this.fOnline.value;
    const status = this.fStatus.value;
    const low = this.fLow.checked;
    if (!q && !online && !status && !low) {
      this.filtered = this.sorted;
      return;
    }
    const out: Entry[] = [];
    for (const e of this.sorted) {
      if (q && !e.key.includes(q)) continue;
      if (online || status || low) {
        const p = this.state(e.id);
        if (online && (online === 'online') !== this.src.isOnline(p)) continue;
        if (status && (p?.status ?? 'unknown') !== status) continue;
        if (low && !p?.lowBattery) continue;
      }
      out.push(e);
    }
    this.filtered = out;
  }

  private state(id: string): Partial<DroneProps> | null {
    return this.src.live(id) ?? this.src.catalogue.get(id)?.state ?? null;
  }

  private schedule(): void {
    if (!this.raf) this.raf = requestAnimationFrame(() => this.render());
  }

  private render(): void {
    this.raf = 0;
    const total = this.sorted.length;
    const n = this.filtered.length;
    setText(this.count, `${n === total ? `${total} drones` : `${n} of ${total} drones`}${this.loadingText ? ` · ${this.loadingText}` : ''}`);
    this.spacer.style.height = `${Math.max(n * ROW_H, 1)}px`;
    const top = this.scroller.scrollTop;
    const height = this.scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW_H) - OVERSCAN);
    const last = Math.min(n, Math.ceil((top + height) / ROW_H) + OVERSCAN);
    const want = last - first;
    while (this.rows.length < want) {
      const row = h(
        'button',
        { type: 'button', class: 'row', role: 'listitem' },
        h('span', { class: 'dot' }),
        h('span', { class: 'row-main' }, h('span', { class: 'row-name' }), h('span', { class: 'row-meta' })),
        h('span', { class: 'row-badges' }),
      );
      this.rows.push(row);
      this.spacer.append(row);
    }
    while (this.rows.length > want) this.rows.pop()!.remove();
    for (let i = 0; i < want; i++) {
      const e = this.filtered[first + i];
      const row = this.rows[i];
      const p = this.state(e.id);
      const online = this.src.isOnline(p);
      const status = p?.status ?? 'unknown';
      row.style.transform = `translateY(${(first + i) * ROW_H}px)`;
      if (row.dataset.droneId !== e.id) row.dataset.droneId = e.id;
      row.classList.toggle('selected', e.id === this.selected);
      row.setAttribute('aria-current', e.id === this.selected ? 'true' : 'false');
      (row.firstElementChild as HTMLElement).className = p ? `dot st-${status}${online ? '' : ' off'}` : 'dot none';
      const main = row.children[1];
      setText(main.children[0], e.name);
      setText(main.children[1], p ? `${status} · ${fmtBattery(p)}` : 'no position yet');
      const badges = row.children[2] as HTMLElement;
      const alerted = this.src.hasAlert?.(e.id) ?? false;
      const b = `${p?.lowBattery ? 'low' : ''}|${p && !online ? 'off' : ''}|${alerted ? 'alert' : ''}`;
      if (badges.dataset.b !== b) {
        badges.dataset.b = b;
        badges.replaceChildren(
          ...(alerted ? [h('span', { class: 'badge badge-alert', 'data-testid': 'drone-alert-badge' }, 'alert')] : []),
          ...(p?.lowBattery ? [h('span', { class: 'badge badge-low' }, 'low battery')] : []),
          ...(p && !online ? [h('span', { class: 'badge badge-off' }, 'offline')] : []),
        );
      }
    }
  }

  destroy(): void {
    if (this.raf) cancelAnimationFrame(this.raf);
    if (this.liveTimer) clearTimeout(this.liveTimer);
  }
}
