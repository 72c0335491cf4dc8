import { effect, signal } from '@preact/signals';
import type { DroneProps, DroneStatus } from '../../types';
import type { LiveStore } from '../live/liveStore';
import type { Catalogue } from './catalogue';

export interface ListEntry {
  id: string;
  name: string;
  key: string; // lower-case name + serial, for search
}

export interface ListView {
  rows: readonly ListEntry[];
  total: number;
}

export type ConnectionFilter = '' | 'online' | 'offline';

/** A drone is online unless the server (or the offline sweep) said otherwise. */
export const isOnline = (p: Partial<DroneProps> | null | undefined): boolean => !!p && p.online !== false;

const LIVE_REFRESH_MS = 500;

/**
 * The drone list's data: catalogue plus drones known only from the map, sorted by name, filtered
 * by search, connection, status and low battery. Live state changes refresh it at most twice a
 * second; the component renders `view` (only the rows on screen).
 */
export class ListModel {
  readonly search = signal('');
  readonly connection = signal<ConnectionFilter>('');
  readonly status = signal<DroneStatus | ''>('');
  readonly lowBattery = signal(false);
  readonly view = signal<ListView>({ rows: [], total: 0 });
  private sorted: ListEntry[] = [];
  private sortedDirty = true;
  private knownIds = new Set<string>();
  private liveTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly disposers: (() => void)[] = [];

  constructor(
    private readonly catalogue: Catalogue,
    private readonly store: LiveStore,
  ) {
    this.disposers.push(
      effect(() => {
        void this.catalogue.version.value;
        this.sortedDirty = true;
        this.refresh();
      }),
      effect(() => {
        void [this.search.value, this.connection.value, this.status.value, this.lowBattery.value];
        this.refresh();
      }),
    );
  }

  /** Catalogue state, overridden by the live state from the map. */
  state(id: string): Partial<DroneProps> | null {
    return this.store.props(id) ?? this.catalogue.get(id)?.state ?? null;
  }

  /** A store batch: new or removed drones rebuild the list, live changes refresh it (throttled). */
  onBatch(changed: ReadonlySet<string>, removed: ReadonlySet<string>): void {
    let newIds = removed.size > 0;
    for (const id of removed) this.knownIds.delete(id);
    for (const id of changed) {
      if (!this.knownIds.has(id)) {
        this.knownIds.add(id);
        if (!this.catalogue.drones.has(id)) newIds = true;
      }
    }
    if (newIds) {
      this.sortedDirty = true;
      this.refresh();
    } else if (!this.liveTimer) {
      this.liveTimer = setTimeout(() => {
        this.liveTimer = null;
        this.refresh();
      }, LIVE_REFRESH_MS);
    }
  }

  private rebuild(): void {
    const seen = new Set<string>();
    const list: ListEntry[] = [];
    for (const d of this.catalogue.drones.values()) {
      seen.add(d.id);
      list.push({ id: d.id, name: d.name, key: `${d.name}\u0000${d.serialNumber ?? ''}`.toLowerCase() });
    }
    for (const id of this.store.features.keys()) {
      if (seen.has(id)) continue;
      const name = this.store.props(id)?.name ?? id;
      list.push({ id, name, key: name.toLowerCase() });
    }
    const coll = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
    list.sort((a, b) => coll.compare(a.name, b.name) || (a.id < b.id ? -1 : 1));
    this.sorted = list;
    this.sortedDirty = false;
  }

  /** Re-filter now and publish a new view (the component re-renders its visible rows). */
  private refresh(): void {
    if (this.sortedDirty) this.rebuild();
    const q = this.search.peek().trim().toLowerCase();
    const online = this.connection.peek();
    const status = this.status.peek();
    const low = this.lowBattery.peek();
    let rows: ListEntry[] = this.sorted;
    if (q || online || status || low) {
      rows = [];
      for (const e of this.sorted) {
        if (q && !e.key.includes(q)) continue;
        if (online || status || low) {
          const p = this.state(e.id);
          if (online && (online === 'online') !== isOnline(p)) continue;
          if (status && (p?.status ?? 'unknown') !== status) continue;
          if (low && !p?.lowBattery) continue;
        }
        rows.push(e);
      }
    }
    this.view.value = { rows, total: this.sorted.length };
  }

  destroy(): void {
    for (const d of this.disposers) d();
    if (this.liveTimer) clearTimeout(this.liveTimer);
  }
}
