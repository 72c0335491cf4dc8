import { signal } from '@preact/signals';
import type { Map as MlMap } from 'maplibre-gl';
import { errorText, isAbort, isUnauthorized } from '../../api/client';
import type { Flight } from '../../types';
import { showAlert } from '../../ui/toasts';
import { flightsApi } from './flightsApi';
import { ReplayController } from './replayController';

/** The flight log of one drone (newest first, "Older flights" pages on) and its replay. */
export class FlightsModel {
  /** The drone whose log is open (null: the panel is closed). */
  readonly droneId = signal<string | null>(null);
  readonly title = signal('');
  readonly flights = signal<Flight[]>([]);
  readonly hasMore = signal(false);
  /** The first page is in. */
  readonly loaded = signal(false);
  readonly replay = new ReplayController();
  private cursor: string | null = null;
  private ctl: AbortController | null = null;

  attach(map: MlMap): void {
    this.replay.attach(map);
  }

  async open(droneId: string, name: string): Promise<void> {
    this.close();
    this.droneId.value = droneId;
    this.title.value = `Flights of ${name}`;
    await this.loadPage();
  }

  async loadPage(): Promise<void> {
    const droneId = this.droneId.peek();
    if (!droneId) return;
    this.ctl?.abort();
    const ctl = (this.ctl = new AbortController());
    try {
      const page = await flightsApi.list(droneId, this.cursor, ctl.signal);
      if (ctl.signal.aborted || this.droneId.peek() !== droneId) return;
      this.cursor = page.nextCursor;
      this.flights.value = [...this.flights.peek(), ...page.items];
      this.hasMore.value = !!page.nextCursor;
      this.loaded.value = true;
    } catch (e) {
      if (!isAbort(e) && !isUnauthorized(e)) showAlert(`Could not load the flight log: ${errorText(e)}`);
    }
  }

  /** For the perf check (test/browser): the replay's own per-frame step, ms. */
  frameStats(): number[] {
    return this.replay.frameStats();
  }

  close(): void {
    this.ctl?.abort();
    this.replay.stop();
    this.cursor = null;
    this.droneId.value = null;
    this.flights.value = [];
    this.hasMore.value = false;
    this.loaded.value = false;
  }
}
