import { signal } from '@preact/signals';
import { errorText, isAbort, isUnauthorized, request, serverNow } from '../../api/client';
import { dronesApi, streamUrl } from '../../api/drones';
import type { AppConfig, BBox } from '../../types';
import { showAlert } from '../../ui/toasts';
import { area, contains, pad } from '../map/bbox';
import type { LiveMap } from '../map/liveMap';
import { DroneStream, type StreamState } from './droneStream';
import { inBBox, normaliseFeature } from './droneFeature';
import type { LiveStore } from './liveStore';

const SWEEP_MS = 5000;
const STATUS_TEXT: Record<StreamState, string> = {
  idle: 'not connected',
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
  paused: 'paused',
};

export interface StreamStatus {
  state: StreamState;
  text: string;
  detail: string;
}

/**
 * Keeps the live store in step with the map's view: a snapshot (GET /map/drones) of the padded
 * view after every move, one EventSource for a box around it (re-opened only when the view leaves
 * that box or zooms in a lot), a snapshot after each reconnect, and a sweep that marks silent
 * drones offline. Stream messages go straight to the store; nothing here renders.
 */
export class LiveSync {
  readonly stream: DroneStream;
  /** Coarse state for the header: changes only when the connection does. */
  readonly status = signal<StreamStatus>({ state: 'idle', text: 'connecting…', detail: '' });
  /** Drones inside the current view ("N in view"), refreshed every second and after a snapshot. */
  readonly inView = signal(0);
  private map: LiveMap | null = null;
  private streamBox: BBox | null = null;
  private viewTimer: ReturnType<typeof setTimeout> | null = null;
  private sweepTimer: ReturnType<typeof setInterval> | null = null;
  private snapshotCtl: AbortController | null = null;
  private lastSnapshotAt = 0;
  private wasLive = false;
  private streamFailAlerted = false;
  private truncatedWarned = false;
  private destroyed = false;

  constructor(
    private readonly store: LiveStore,
    private readonly config: AppConfig,
    onAlertEvent: (data: string) => void,
  ) {
    this.stream = new DroneStream({
      url: () => streamUrl(this.streamBox ?? this.view()),
      onData: (d) => this.store.ingestRaw(d),
      onAlert: onAlertEvent,
      onState: (s, detail) => this.onStreamState(s, detail),
      onOpen: (reconnected) => {
        if (reconnected || Date.now() - this.lastSnapshotAt > 1000) void this.snapshot();
      },
      checkSession: async () => {
        try {
          await request('me');
          return true;
        } catch (e) {
          return !isUnauthorized(e); // a 401 logs out through the API client
        }
      },
    });
  }

  /** Starts following the map: first snapshot and stream once it has loaded. */
  attach(map: LiveMap): void {
    this.map = map;
    void map.whenReady().then(() => this.viewChanged(0));
    this.sweepTimer = setInterval(() => this.sweepOffline(), SWEEP_MS);
  }

  private view(): BBox {
    return this.map ? this.map.bbox() : [-180, -90, 180, 90];
  }

  private onStreamState(s: StreamState, detail: string): void {
    this.status.value = { state: s, text: STATUS_TEXT[s], detail };
    if (s === 'reconnecting' && this.wasLive) {
      this.wasLive = false;
      showAlert('Live updates interrupted: the stream to the server was lost. Reconnecting…');
    } else if (s === 'reconnecting' && !this.streamFailAlerted) {
      this.streamFailAlerted = true;
      showAlert('The live stream could not be opened; positions may be out of date. Retrying…');
    } else if (s === 'live') {
      this.wasLive = true;
      this.streamFailAlerted = true;
    }
  }

  /** The map moved (debounced): snapshot of the padded view; re-open the stream if needed. */
  viewChanged(delay = 300): void {
    if (this.viewTimer) clearTimeout(this.viewTimer);
    this.viewTimer = setTimeout(() => {
      this.viewTimer = null;
      if (this.destroyed) return;
      const view = this.view();
      const want = pad(view, 0.25);
      const sb = this.streamBox;
      const reopen = !sb || !contains(sb, view) || area(sb) > 6 * area(want);
      void this.snapshot(want);
      if (reopen && this.stream.current !== 'paused') {
        this.streamBox = want;
        this.stream.open();
      }
    }, delay);
  }

  /** GET /map/drones for the box (default: the stream's box) and reconcile the store with it. */
  private async snapshot(box?: BBox): Promise<void> {
    const bbox = box ?? this.streamBox ?? this.view();
    this.snapshotCtl?.abort();
    const ctl = new AbortController();
    this.snapshotCtl = ctl;
    const startedAt = serverNow();
    this.lastSnapshotAt = Date.now();
    try {
      const fc = await dronesApi.inBox(bbox, ctl.signal);
      if (ctl.signal.aborted || this.destroyed) return;
      const seen = new Set<string>();
      for (const raw of fc.features ?? []) {
        const f = normaliseFeature(raw);
        if (!f) continue;
        seen.add(f.properties.id);
        this.store.upsert(f);
      }
      if (fc.truncated) {
        if (!this.truncatedWarned)
          showAlert('There are more drones in this view than can be drawn at once; zoom in to see them all.', 'info');
        this.truncatedWarned = true;
      } else {
        // Drones that left the box (or were deleted) since their last known state.
        for (const [id, f] of this.store.features) {
          if (!seen.has(id) && inBBox(f, bbox) && !(Date.parse(f.properties.timestamp ?? '') >= startedAt)) this.store.remove(id);
        }
      }
      this.updateCount();
    } catch (e) {
      if (isAbort(e) || this.destroyed || isUnauthorized(e)) return;
      showAlert(`Could not load the drones on the map: ${errorText(e)}`);
    }
  }

  /** Marks drones in the streamed box offline when nothing came for offlineAfterSeconds. */
  private sweepOffline(): void {
    if (this.stream.current !== 'live' || !this.streamBox) return;
    const limit = this.config.offlineAfterSeconds * 1000;
    const now = serverNow();
    for (const f of this.store.features.values()) {
      const p = f.properties;
      if (p.online === false || !inBBox(f, this.streamBox)) continue;
      const seen = Date.parse(p.lastSeenAt ?? p.timestamp ?? '');
      if (Number.isFinite(seen) && now - seen > limit) {
        this.store.upsert({ ...f, properties: { ...p, online: false } });
      }
    }
  }

  updateCount(): void {
    if (!this.map) return;
    let n = 0;
    const box = this.map.bbox();
    for (const f of this.store.features.values()) if (inBBox(f, box)) n++;
    this.inView.value = n;
  }

  destroy(): void {
    this.destroyed = true;
    this.stream.close();
    if (this.viewTimer) clearTimeout(this.viewTimer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.snapshotCtl?.abort();
  }
}
