import { signal } from '@preact/signals';
import { ApiError, errorText, isAbort, isUnauthorized, serverNow } from '../../api/client';
import { dronesApi } from '../../api/drones';
import type { DroneFeature } from '../../types';
import { showAlert } from '../../ui/toasts';
import type { Catalogue } from '../drones/catalogue';
import type { LiveStore } from '../live/liveStore';
import type { LiveMap } from '../map/liveMap';

const TRACK_WINDOW_MS = 15 * 60 * 1000;

interface Track {
  coords: [number, number][];
  times: number[];
}

/**
 * The selected drone (list row, map click, alert) and its last 15 minutes of track: loaded once,
 * extended live from the store's batches, trimmed to the window, drawn as the map's track line.
 */
export class Selection {
  readonly id = signal<string | null>(null);
  /** Bumped when the selected drone's live values or track change, and every second ("last seen"). */
  readonly tick = signal(0);
  /** null while the track is loading. */
  private track: Track | null = null;
  private ctl: AbortController | null = null;
  private map: LiveMap | null = null;

  constructor(
    private readonly store: LiveStore,
    private readonly catalogue: Catalogue,
  ) {}

  attach(map: LiveMap): void {
    this.map = map;
  }

  get trackPoints(): number | null {
    return this.track ? this.track.coords.length : null;
  }

  select(id: string | null, center = false): void {
    this.id.value = id;
    this.map?.setSelected(id);
    this.ctl?.abort();
    this.track = null;
    this.map?.setTrack([]);
    this.tick.value++;
    if (!id) return;
    const f = this.store.get(id);
    const st = f ? null : this.catalogue.get(id)?.state;
    if (center) {
      if (f) this.map?.centerOn(f.geometry.coordinates[0], f.geometry.coordinates[1]);
      else if (st) this.map?.centerOn(st.lon, st.lat);
      else showAlert('This drone has not reported a position yet.', 'info');
    }
    if (!this.catalogue.get(id)) {
      dronesApi.get(id).then(
        (d) => this.catalogue.add(d),
        (e) => e instanceof ApiError && e.status === 404 && showAlert('This drone no longer exists.'),
      );
    }
    void this.loadTrack(id);
  }

  /** A store batch: the selected drone moved or changed. */
  onBatch(changed: ReadonlySet<string>): void {
    const id = this.id.peek();
    if (!id || !changed.has(id)) return;
    this.appendTrack(this.store.features.get(id)!);
    this.tick.value++;
  }

  private async loadTrack(id: string): Promise<void> {
    const ctl = new AbortController();
    this.ctl = ctl;
    try {
      const r = await dronesApi.track(id, new Date(serverNow() - TRACK_WINDOW_MS), ctl.signal);
      if (ctl.signal.aborted || this.id.peek() !== id) return;
      const coords: [number, number][] = [];
      const times: number[] = [];
      for (const p of r.points ?? []) {
        if (!Number.isFinite(p.lon) || !Number.isFinite(p.lat)) continue;
        coords.push([p.lon, p.lat]);
        times.push(Date.parse(p.timestamp));
      }
      this.track = { coords, times };
      const f = this.store.features.get(id);
      if (f) this.appendTrack(f);
      else this.map?.setTrack(coords);
    } catch (e) {
      if (isAbort(e) || this.id.peek() !== id) return;
      this.track = { coords: [], times: [] };
      if (!isUnauthorized(e)) showAlert(`Could not load the drone's track: ${errorText(e)}`);
    }
    this.tick.value++;
  }

  private appendTrack(f: DroneFeature): void {
    const t = this.track;
    if (!t) return;
    const ts = Date.parse(f.properties.timestamp ?? '');
    const last = t.times[t.times.length - 1];
    if (Number.isFinite(ts) && (last === undefined || ts > last)) {
      t.coords.push([f.geometry.coordinates[0], f.geometry.coordinates[1]]);
      t.times.push(ts);
    }
    const cutoff = serverNow() - TRACK_WINDOW_MS;
    let drop = 0;
    while (drop < t.times.length - 1 && t.times[drop] < cutoff) drop++;
    if (drop) {
      t.coords.splice(0, drop);
      t.times.splice(0, drop);
    }
    this.map?.setTrack(t.coords);
  }

  destroy(): void {
    this.ctl?.abort();
  }
}
