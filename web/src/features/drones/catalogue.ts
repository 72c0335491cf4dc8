import { signal } from '@preact/signals';
import { errorText, isAbort, isUnauthorized } from '../../api/client';
import { dronesApi } from '../../api/drones';
import type { Drone, Page } from '../../types';
import { showAlert } from '../../ui/toasts';
import { featureFromState } from '../live/droneFeature';
import type { LiveStore } from '../live/liveStore';

const PAGE = 500;
const REFRESH_MS = 120_000;

/**
 * The tenant's drones (GET /drones, every page), at start and every 2 minutes: names, serials,
 * models for the list and the detail panel; a drone's last state seeds the live store.
 */
export class Catalogue {
  readonly drones = new Map<string, Drone>();
  /** Bumped when drones are added, removed or renamed (not for live state). */
  readonly version = signal(0);
  /** "loading… N" while the pages come in. */
  readonly loading = signal('');
  private ctl: AbortController | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private destroyed = false;

  constructor(
    private readonly store: LiveStore,
    /** The first page is in: the map fits the fleet. */
    private readonly onFirstPage: (items: Drone[]) => void,
  ) {}

  start(): void {
    void this.load();
    this.timer = setInterval(() => void this.load(), REFRESH_MS);
  }

  get(id: string): Drone | undefined {
    return this.drones.get(id);
  }

  add(d: Drone): void {
    this.drones.set(d.id, d);
    this.version.value++;
  }

  /** Gone from the tenant: off the list and the map. */
  remove(id: string): void {
    this.drones.delete(id);
    this.store.remove(id);
    this.version.value++;
  }

  private async load(): Promise<void> {
    if (this.ctl) return; // one load at a time
    const ctl = new AbortController();
    this.ctl = ctl;
    const ids = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    try {
      do {
        const page: Page<Drone> = await dronesApi.list(PAGE, cursor, ctl.signal);
        if (this.destroyed) return;
        for (const d of page.items) {
          ids.add(d.id);
          this.drones.set(d.id, d);
          if (d.state && Number.isFinite(d.state.lat) && Number.isFinite(d.state.lon))
            this.store.upsert(featureFromState(d.id, d.name, d.state));
        }
        cursor = page.nextCursor;
        pages++;
        this.loading.value = cursor ? `loading… ${ids.size}` : '';
        this.version.value++;
        if (pages === 1) this.onFirstPage(page.items);
      } while (cursor);
      for (const id of Array.from(this.drones.keys())) {
        if (!ids.has(id)) {
          this.drones.delete(id);
          this.store.remove(id);
        }
      }
      this.version.value++;
    } catch (e) {
      this.loading.value = '';
      if (!isAbort(e) && !isUnauthorized(e) && !this.destroyed) showAlert(`Could not load the drone list: ${errorText(e)}`);
    } finally {
      if (this.ctl === ctl) this.ctl = null;
    }
  }

  destroy(): void {
    this.destroyed = true;
    if (this.timer) clearInterval(this.timer);
    this.ctl?.abort();
  }
}
