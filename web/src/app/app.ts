import { api, ApiError, request, serverNow, streamUrl } from '../api/client';
import { AdminPanel } from '../features/admin/adminPanel';
import { AlertsPanel } from '../features/alerts/alertsPanel';
import { GeofencePanel } from '../features/geofences/geofencePanel';
import { AlertMarks } from '../features/alerts/alertMarks';
import { DetailPanel } from '../features/detail/detailPanel';
import { confirmDialog, showDeviceKey } from '../ui/dialogs';
import { h, setText, showAlert } from '../ui/dom';
import { DroneList } from '../features/drones/droneList';
import { FlightsPanel } from '../features/flights/flights-panel';
import { LiveMap, clampBBox } from '../features/map/liveMap';
import { LOW_BATTERY_COLOR, OFFLINE_COLOR, STATUS_COLORS } from '../features/map/icons';
import { featureFromState, inBBox, LiveStore, normaliseFeature } from '../features/live/liveStore';
import { DroneStream, type StreamState } from '../features/live/droneStream';
import type { AppConfig, BBox, Drone, DroneFeature, DroneProps, Me } from '../types/drone';
import { STATUSES } from '../types/drone';

const TRACK_WINDOW_MS = 15 * 60 * 1000;
const CATALOGUE_PAGE = 500;
const CATALOGUE_REFRESH_MS = 120_000;
const SWEEP_MS = 5000;

const area = (b: BBox) => Math.max(1e-9, (b[2] - b[0]) * (b[3] - b[1]));
const contains = (outer: BBox, inner: BBox) => outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];
function pad(b: BBox, f: number): BBox {
  const dx = (b[2] - b[0]) * f;
  const dy = (b[3] - b[1]) * f;
  return clampBBox(b[0] - dx, b[1] - dy, b[2] + dx, b[3] + dy);
}

export interface AppOptions {
  root: HTMLElement;
  config: AppConfig;
  token: string;
  fallbackMe: Partial<Me>;
  logout: () => void;
}

/** The signed-in application: header, list, live map, detail panel and admin controls. */
export class App {
  readonly store = new LiveStore();
  readonly map: LiveMap;
  readonly stream: DroneStream;
  readonly catalogue = new Map<string, Drone>();
  private readonly list: DroneList;
  private readonly detail: DetailPanel;
  private readonly admin: AdminPanel;
  readonly flights: FlightsPanel;
  private readonly alertsPanel: AlertsPanel;
  private readonly geofencePanel: GeofencePanel;
  private readonly alertMarks: AlertMarks;
  private alertedDrones: ReadonlySet<string> = new Set();
  private readonly adminBtn: HTMLButtonElement;
  private readonly statusEl: HTMLElement;
  private readonly countEl: HTMLElement;
  private readonly whoEl: HTMLElement;
  private readonly tenantEl: HTMLElement;
  private me: Partial<Me>;
  private isAdmin = false;
  private streamBox: BBox | null = null;
  private viewTimer: ReturnType<typeof setTimeout> | null = null;
  private snapshotCtl: AbortController | null = null;
  private lastSnapshotAt = 0;
  private catalogueCtl: AbortController | null = null;
  private timers: ReturnType<typeof setInterval>[] = [];
  private selected: string | null = null;
  private track: { coords: [number, number][]; times: number[] } | null = null;
  private trackCtl: AbortController | null = null;
  private knownIds = new Set<string>();
  private fitted = false;
  private wasLive = false;
  private streamFailAlerted = false;
  private destroyed = false;
  private truncatedWarned = false;

  constructor(private readonly o: AppOptions) {
    this.me = o.fallbackMe;
    this.statusEl = h('span', { class: 'stream-status', role: 'status', 'data-testid': 'stream-status', 'data-state': 'idle' }, 'connecting…');
    this.countEl = h('span', { class: 'map-count', 'data-testid': 'map-count' });
    this.whoEl = h('span', { class: 'who', 'data-testid': 'user-info' });
    this.tenantEl = h('span', { class: 'tenant', 'data-testid': 'tenant-name' });
    this.adminBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'admin-toggle', hidden: true, 'aria-expanded': 'false' }, 'Admin');
    const logoutBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'logout' }, 'Log out');
    logoutBtn.addEventListener('click', () => o.logout());

    this.list = new DroneList(
      {
        catalogue: this.catalogue,
        live: (id) => this.liveProps(id),
        liveIds: () => this.store.features.keys(),
        isOnline: (p) => !!p && p.online !== false,
        hasAlert: (id) => this.alertedDrones.has(id),
      },
      (id) => this.select(id, true),
    );
    this.detail = new DetailPanel({
      close: () => this.select(null),
      rotateKey: (id) => void this.rotateKey(id),
      remove: (id) => void this.deleteDrone(id),
      flights: (id) => void this.flights.open(id, this.nameOf(id)),
    });
    this.admin = new AdminPanel({
      onDroneRegistered: (d) => {
        this.catalogue.set(d.id, d);
        this.list.invalidate();
      },
    });
    this.adminBtn.addEventListener('click', () => {
      const open = this.admin.toggle();
      this.adminBtn.setAttribute('aria-expanded', String(open));
    });

    const legend = h(
      'div',
      { class: 'legend', 'aria-label': 'Legend' },
      ...STATUSES.map((s) => h('span', { class: 'legend-item' }, h('i', { class: 'arrow', style: `--c:${STATUS_COLORS[s]}` }), s)),
      h('span', { class: 'legend-item' }, h('i', { class: 'ring', style: `--c:${LOW_BATTERY_COLOR}` }), 'low battery'),
      h('span', { class: 'legend-item' }, h('i', { class: 'disc', style: `--c:${OFFLINE_COLOR}` }), 'offline'),
    );
    const mapEl = h('div', { class: 'map', 'data-testid': 'map' });
    const mapWrap = h('div', { class: 'map-wrap' }, mapEl, legend, this.detail.el, this.admin.el);
    this.alertsPanel = new AlertsPanel({
      droneName: (id) => this.nameOf(id),
      droneIds: () => this.catalogue.keys(),
      onOpenChange: (ids) => {
        this.alertedDrones = ids;
        this.list.invalidate();
        this.alertMarks?.update(ids, (id) => this.store.get(id)?.geometry.coordinates as [number, number] | undefined);
      },
      onSelectDrone: (id) => this.select(id, true),
    });
    o.root.replaceChildren(
      h(
        'div',
        { class: 'shell' },
        h(
          'header',
          { class: 'topbar' },
          h('span', { class: 'brand' }, h('b', {}, 'drone'), 'track'),
          this.tenantEl,
          this.statusEl,
          this.countEl,
          h('span', { class: 'spacer' }),
          this.whoEl,
          this.adminBtn,
          logoutBtn,
        ),
        h('div', { class: 'body' }, this.list.el, mapWrap, h('aside', { class: 'ops-panels', 'data-testid': 'ops-panels' }, this.alertsPanel.el)),
      ),
    );

    this.map = new LiveMap({
      container: mapEl,
      config: o.config,
      onSelect: (id) => this.select(id, false),
      onViewChange: () => this.viewChanged(),
      onError: (m) => showAlert(m),
    });
    this.flights = new FlightsPanel(this.map.map);
    mapWrap.append(this.flights.el);
    this.geofencePanel = new GeofencePanel(this.map.map);
    this.alertsPanel.el.after(this.geofencePanel.el);
    this.alertMarks = new AlertMarks(this.map.map);
    void this.map.whenReady().then(async () => {
      this.alertMarks.install();
      await this.geofencePanel.install();
      await this.alertsPanel.load();
    });
    this.store.sink = this.map.bindStore(() => Array.from(this.store.features.values()));
    this.store.subscribe((changed, removed) => this.onBatch(changed, removed));

    this.stream = new DroneStream({
      url: () => streamUrl(this.streamBox ?? this.map.bbox()),
      onData: (d) => this.store.ingestRaw(d),
      onAlert: (d) => this.alertsPanel.ingestRaw(d),
      onState: (s, detail) => this.onStreamState(s, detail),
      onOpen: (reconnected) => {
        if (reconnected || Date.now() - this.lastSnapshotAt > 1000) void this.snapshot();
      },
      checkSession: async () => {
        try {
          await request('me');
          return true;
        } catch (e) {
          return !(e instanceof ApiError && e.status === 401); // 401 logs out via the API layer
        }
      },
    });

    document.addEventListener('keydown', this.onKey);
    this.applyMe(this.me);
    void api
      .me()
      .then((me) => this.applyMe(me))
      .catch(() => undefined); // 401 is handled globally; else keep the token's claims
    void this.map.whenReady().then(() => this.viewChanged(0));
    void this.loadCatalogue();
    this.timers.push(setInterval(() => this.sweepOffline(), SWEEP_MS));
    this.timers.push(setInterval(() => void this.loadCatalogue(), CATALOGUE_REFRESH_MS));
    this.timers.push(
      setInterval(() => {
        this.renderDetail();
        this.updateCount();
      }, 1000),
    );
  }

  private applyMe(me: Partial<Me>): void {
    if (this.destroyed) return;
    this.me = { ...this.me, ...me };
    this.isAdmin = this.me.role === 'admin';
    setText(this.whoEl, this.me.email ? `${this.me.email}${this.me.role ? ` (${this.me.role})` : ''}` : '');
    setText(this.tenantEl, this.me.tenantName ?? '');
    this.adminBtn.hidden = !this.isAdmin;
    this.detail.setAdmin(this.isAdmin);
    this.geofencePanel.setAdmin(this.isAdmin);
    if (!this.isAdmin) this.admin.toggle(false);
  }

  /** Live properties for a drone, with the position taken from the geometry. */
  liveProps(id: string): DroneProps | undefined {
    const f = this.store.get(id);
    if (!f) return undefined;
    const p = f.properties;
    if (p.lon === undefined || p.lat === undefined) {
      p.lon = f.geometry.coordinates[0];
      p.lat = f.geometry.coordinates[1];
    }
    return p;
  }

  // ---- stream and viewport -------------------------------------------------------------

  private onStreamState(s: StreamState, detail: string): void {
    const text = s === 'live' ? 'live' : s === 'reconnecting' ? 'reconnecting…' : s === 'connecting' ? 'connecting…' : s === 'paused' ? 'paused' : 'not connected';
    setText(this.statusEl, text);
    this.statusEl.dataset.state = s;
    this.statusEl.title = detail;
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

  private viewChanged(delay = 300): void {
    if (this.viewTimer) clearTimeout(this.viewTimer);
    this.viewTimer = setTimeout(() => {
      this.viewTimer = null;
      if (this.destroyed) return;
      const view = this.map.bbox();
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
    const bbox = box ?? this.streamBox ?? this.map.bbox();
    this.snapshotCtl?.abort();
    const ctl = new AbortController();
    this.snapshotCtl = ctl;
    const startedAt = serverNow();
    this.lastSnapshotAt = Date.now();
    try {
      const fc = await api.mapDrones(bbox, ctl.signal);
      if (ctl.signal.aborted || this.destroyed) return;
      const seen = new Set<string>();
      for (const raw of fc.features ?? []) {
        const f = normaliseFeature(raw);
        if (!f) continue;
        seen.add(f.properties.id);
        this.store.upsert(f);
      }
      if (fc.truncated) {
        if (!this.truncatedWarned) showAlert('There are more drones in this view than can be drawn at once; zoom in to see them all.', 'info');
        this.truncatedWarned = true;
      } else {
        // Drones that left the box (or were deleted) since their last known state.
        for (const [id, f] of this.store.features) {
          if (!seen.has(id) && inBBox(f, bbox) && !(Date.parse(f.properties.timestamp ?? '') >= startedAt)) this.store.remove(id);
        }
      }
      this.updateCount();
    } catch (e) {
      if ((e as Error).name === 'AbortError' || this.destroyed) return;
      if (e instanceof ApiError && e.status === 401) return;
      showAlert(`Could not load the drones on the map: ${(e as Error).message}`);
    }
  }

  /** Marks drones in the streamed box offline when nothing came for offlineAfterSeconds. */
  private sweepOffline(): void {
    if (this.stream.current !== 'live' || !this.streamBox) return;
    const limit = this.o.config.offlineAfterSeconds * 1000;
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

  private updateCount(): void {
    let n = 0;
    const box = this.map.bbox();
    for (const f of this.store.features.values()) if (inBBox(f, box)) n++;
    setText(this.countEl, `${n} in view`);
  }

  // ---- catalogue -----------------------------------------------------------------------

  private async loadCatalogue(): Promise<void> {
    if (this.catalogueCtl) return; // one load at a time
    const ctl = new AbortController();
    this.catalogueCtl = ctl;
    const ids = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    try {
      do {
        const page: { items: Drone[]; nextCursor: string | null } = await api.drones(CATALOGUE_PAGE, cursor, ctl.signal);
        if (this.destroyed) return;
        for (const d of page.items) {
          ids.add(d.id);
          this.catalogue.set(d.id, d);
          if (d.state && Number.isFinite(d.state.lat) && Number.isFinite(d.state.lon)) this.store.upsert(featureFromState(d.id, d.name, d.state));
        }
        cursor = page.nextCursor;
        pages++;
        this.list.setLoading(cursor ? `loading… ${ids.size}` : '');
        this.list.invalidate();
        if (pages === 1) this.fitOnce(page.items);
      } while (cursor);
      for (const id of Array.from(this.catalogue.keys())) {
        if (!ids.has(id)) {
          this.catalogue.delete(id);
          this.store.remove(id);
        }
      }
      this.list.invalidate();
    } catch (e) {
      this.list.setLoading('');
      if ((e as Error).name !== 'AbortError' && !(e instanceof ApiError && e.status === 401) && !this.destroyed) {
        showAlert(`Could not load the drone list: ${(e as Error).message}`);
      }
    } finally {
      if (this.catalogueCtl === ctl) this.catalogueCtl = null;
    }
  }

  private fitOnce(items: Drone[]): void {
    if (this.fitted || this.map.userMoved) return;
    this.fitted = true;
    let w = 180, s = 90, e = -180, n = -90;
    let any = false;
    for (const d of items) {
      if (!d.state) continue;
      any = true;
      w = Math.min(w, d.state.lon);
      e = Math.max(e, d.state.lon);
      s = Math.min(s, d.state.lat);
      n = Math.max(n, d.state.lat);
    }
    if (any) void this.map.whenReady().then(() => this.map.fit([[w, s], [e, n]]));
  }

  // ---- live batches, selection, detail, track ------------------------------------------

  private onBatch(changed: ReadonlySet<string>, removed: ReadonlySet<string>): void {
    let newIds = removed.size > 0;
    for (const id of removed) this.knownIds.delete(id);
    for (const id of changed) {
      if (!this.knownIds.has(id)) {
        this.knownIds.add(id);
        if (!this.catalogue.has(id)) newIds = true;
      }
    }
    if (newIds) this.list.invalidate();
    else this.list.liveChanged();
    const sel = this.selected;
    if (sel && changed.has(sel)) {
      const f = this.store.features.get(sel)!;
      this.appendTrack(f);
      this.renderDetail();
    }
  }

  select(id: string | null, center = false): void {
    this.selected = id;
    this.list.setSelected(id);
    this.map.setSelected(id);
    this.trackCtl?.abort();
    this.track = null;
    this.map.setTrack([]);
    if (!id) {
      this.detail.hide();
      return;
    }
    this.detail.show(id);
    this.renderDetail();
    const f = this.store.get(id);
    const st = f ? null : this.catalogue.get(id)?.state;
    if (center) {
      if (f) this.map.centerOn(f.geometry.coordinates[0], f.geometry.coordinates[1]);
      else if (st) this.map.centerOn(st.lon, st.lat);
      else showAlert('This drone has not reported a position yet.', 'info');
    }
    if (!this.catalogue.has(id)) {
      void api
        .drone(id)
        .then((d) => {
          this.catalogue.set(d.id, d);
          this.renderDetail();
        })
        .catch((e) => {
          if (e instanceof ApiError && e.status === 404) showAlert('This drone no longer exists.');
        });
    }
    void this.loadTrack(id);
  }

  private async loadTrack(id: string): Promise<void> {
    const ctl = new AbortController();
    this.trackCtl = ctl;
    try {
      const r = await api.track(id, new Date(serverNow() - TRACK_WINDOW_MS), ctl.signal);
      if (ctl.signal.aborted || this.selected !== id) return;
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
      else this.map.setTrack(coords);
      this.renderDetail();
    } catch (e) {
      if ((e as Error).name === 'AbortError' || this.selected !== id) return;
      this.track = { coords: [], times: [] };
      this.renderDetail();
      if (!(e instanceof ApiError && e.status === 401)) showAlert(`Could not load the drone's track: ${(e as Error).message}`);
    }
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
    this.map.setTrack(t.coords);
  }

  private renderDetail(): void {
    const id = this.selected;
    if (!id) return;
    const p = this.liveProps(id) ?? this.catalogue.get(id)?.state ?? null;
    this.detail.render(this.catalogue.get(id), p, !!p && p.online !== false, this.track ? this.track.coords.length : null, serverNow());
  }

  // ---- admin actions -------------------------------------------------------------------

  private nameOf(id: string): string {
    return this.catalogue.get(id)?.name ?? this.store.get(id)?.properties.name ?? id;
  }

  private async rotateKey(id: string): Promise<void> {
    const name = this.nameOf(id);
    if (!(await confirmDialog(`Rotate the device key of “${name}”? The current key stops working at once.`, 'Rotate key'))) return;
    try {
      const { deviceKey } = await api.rotateKey(id);
      await showDeviceKey('New device key', name, deviceKey);
    } catch (e) {
      showAlert(`Could not rotate the key: ${(e as Error).message}`);
    }
  }

  private async deleteDrone(id: string): Promise<void> {
    const name = this.nameOf(id);
    if (!(await confirmDialog(`Delete “${name}”? Its key stops working; its history stays readable until retention removes it.`, 'Delete drone'))) return;
    try {
      await api.deleteDrone(id);
      this.catalogue.delete(id);
      this.store.remove(id);
      if (this.selected === id) this.select(null);
      this.list.invalidate();
      showAlert(`Drone “${name}” deleted.`, 'success');
    } catch (e) {
      showAlert(`Could not delete the drone: ${(e as Error).message}`);
    }
  }

  private onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && this.selected && !document.querySelector('dialog[open]')) this.select(null);
  };

  destroy(): void {
    this.destroyed = true;
    document.removeEventListener('keydown', this.onKey);
    this.stream.close();
    for (const t of this.timers) clearInterval(t);
    if (this.viewTimer) clearTimeout(this.viewTimer);
    this.snapshotCtl?.abort();
    this.catalogueCtl?.abort();
    this.trackCtl?.abort();
    this.flights.close();
    this.store.destroy();
    this.list.destroy();
    this.map.destroy();
    document.querySelectorAll('dialog').forEach((d) => d.remove());
  }
}
