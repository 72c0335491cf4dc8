import { computed, effect, signal, type Signal } from '@preact/signals';
import { authApi } from '../api/auth';
import type { AppConfig, DroneState, Me } from '../types';
import { showAlert } from '../ui/toasts';
import { AlertMarks } from '../features/alerts/alertMarks';
import { AlertsModel } from '../features/alerts/alertsModel';
import { Selection } from '../features/detail/selection';
import { Catalogue } from '../features/drones/catalogue';
import { ListModel } from '../features/drones/listModel';
import { FlightsModel } from '../features/flights/flightsModel';
import { GeofenceEditor } from '../features/geofences/geofenceEditor';
import { LiveStore } from '../features/live/liveStore';
import { LiveSync } from '../features/live/liveSync';
import { LiveMap } from '../features/map/liveMap';

const SECOND_MS = 1000;

/**
 * One signed-in session: the feature models, wired together, and the map once the view has
 * mounted it. Components read these through useApp() and re-render on their signals; the live
 * data path (stream → store → one map diff per frame) never goes through a component.
 * Also what `window.__dtPerf.app()` returns (store, stream, map, flights).
 */
export class LiveApp {
  readonly store = new LiveStore();
  readonly me: Signal<Partial<Me>>;
  readonly isAdmin = computed(() => this.me.value.role === 'admin');
  readonly adminOpen = signal(false);
  readonly alerts = new AlertsModel();
  readonly catalogue = new Catalogue(this.store, (items) => this.fitFleet(items.flatMap((d) => (d.state ? [d.state] : []))));
  readonly list = new ListModel(this.catalogue, this.store);
  readonly selection = new Selection(this.store, this.catalogue);
  readonly flights = new FlightsModel();
  readonly geofences = new GeofenceEditor(() => this.isAdmin.peek());
  readonly sync: LiveSync;
  private liveMap: LiveMap | null = null;
  private readonly disposers: (() => void)[] = [];
  private destroyed = false;

  constructor(
    private readonly config: AppConfig,
    fallbackMe: Partial<Me>,
  ) {
    this.me = signal(fallbackMe);
    this.sync = new LiveSync(this.store, config, (data) => this.alerts.ingestRaw(data));
    this.disposers.push(
      this.store.subscribe((changed, removed) => {
        this.list.onBatch(changed, removed);
        this.selection.onBatch(changed);
      }),
      effect(() => {
        if (!this.isAdmin.value) {
          this.adminOpen.value = false;
          this.geofences.stopDrawing();
        }
      }),
    );
    authApi.me().then(
      (me) => {
        if (!this.destroyed) this.me.value = { ...this.me.peek(), ...me };
      },
      () => undefined, // 401 is handled globally; else keep the token's claims
    );
  }

  get stream() {
    return this.sync.stream;
  }

  /** The MapLibre map (after the map view has mounted). */
  get map(): LiveMap {
    if (!this.liveMap) throw new Error('the map is not mounted yet');
    return this.liveMap;
  }

  get mapMounted(): boolean {
    return this.liveMap !== null;
  }

  droneName(id: string): string {
    return this.catalogue.get(id)?.name ?? this.store.get(id)?.properties.name ?? id;
  }

  /** Called by <MapView> with its element: creates the map, then starts the live data. */
  attachMap(container: HTMLElement): void {
    const map = new LiveMap({
      container,
      config: this.config,
      onSelect: (id) => this.selection.select(id, false),
      onViewChange: () => this.sync.viewChanged(),
      onError: (m) => showAlert(m),
    });
    this.liveMap = map;
    this.store.sink = map.bindStore(() => Array.from(this.store.features.values()));
    this.selection.attach(map);
    this.flights.attach(map.map);
    this.sync.attach(map);
    const marks = new AlertMarks(map.map);
    void map.whenReady().then(async () => {
      if (this.destroyed) return;
      marks.install();
      this.disposers.push(effect(() => marks.update(this.alerts.openDroneIds.value, (id) => this.position(id))));
      await this.geofences.attach(map.map);
      await this.alerts.load();
    });
    this.catalogue.start();
    const timer = setInterval(() => {
      this.selection.tick.value++;
      this.sync.updateCount();
    }, SECOND_MS);
    this.disposers.push(() => clearInterval(timer));
  }

  private position(id: string): [number, number] | undefined {
    return this.store.get(id)?.geometry.coordinates as [number, number] | undefined;
  }

  private fitFleet(states: DroneState[]): void {
    this.liveMap?.fitOnce(states);
  }

  destroy(): void {
    this.destroyed = true;
    for (const d of this.disposers) d();
    this.sync.destroy();
    this.catalogue.destroy();
    this.selection.destroy();
    this.flights.close();
    this.list.destroy();
    this.store.destroy();
    this.liveMap?.destroy();
  }
}
