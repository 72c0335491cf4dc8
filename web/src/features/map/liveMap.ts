import { Map as MlMap, NavigationControl, AttributionControl, setWorkerUrl } from 'maplibre-gl';
import type { GeoJSONSource, GeoJSONSourceDiff } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// The worker is bundled as its own file and loaded from our origin.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { FeatureCollection, LineString } from 'geojson';
import type { AppConfig, BBox, DroneFeature } from '../../types';
import { STATUSES } from '../../types';
import { toMapFeature } from '../live/droneFeature';
import { loadBasemap } from './basemap';
import { clampBBox } from './bbox';
import { arrowImage, dotImage, STATUS_COLORS } from './icons';
import { DRONE_LAYERS, EMPTY, style } from './mapStyle';

setWorkerUrl(workerUrl);

const VIEW_KEY = 'dronetrack.view';

export interface LiveMapOptions {
  container: HTMLElement;
  config: AppConfig;
  onSelect: (id: string) => void;
  onViewChange: () => void;
  onError: (message: string) => void;
}

/**
 * The MapLibre map of the live fleet. Imperative on purpose: drones reach it as one GeoJSON diff
 * per animation frame (LiveStore's sink), never through component renders. Features add their own
 * layers to `map` once it is ready (geofences, alert marks, replay).
 */
export class LiveMap {
  readonly map: MlMap;
  private ready = false;
  private readyWaiters: (() => void)[] = [];
  private getAll: (() => DroneFeature[]) | null = null;
  private fitted = false;
  userMoved = false;

  constructor(private readonly o: LiveMapOptions) {
    const saved = this.savedView();
    this.map = new MlMap({
      container: o.container,
      style: style(),
      center: saved?.center ?? [10, 30],
      zoom: saved?.zoom ?? 1.6,
      renderWorldCopies: false,
      attributionControl: false,
      maxPitch: 0,
      dragRotate: false,
      fadeDuration: 0,
    });
    this.userMoved = !!saved;
    this.map.touchZoomRotate.disableRotation();
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new AttributionControl({ compact: true, customAttribution: 'Basemap: Natural Earth' }), 'bottom-right');

    this.map.on('styleimagemissing', (e) => this.addIcon(e.id));
    this.map.on('load', () => this.onLoad());
    this.map.on('moveend', (e) => {
      if ((e as { originalEvent?: unknown }).originalEvent) this.userMoved = true;
      const c = this.map.getCenter();
      try {
        localStorage.setItem(VIEW_KEY, JSON.stringify({ center: [c.lng, c.lat], zoom: this.map.getZoom() }));
      } catch {
        /* storage full or blocked: ignore */
      }
      o.onViewChange();
    });
    this.map.on('error', (e) => {
      const msg = e.error?.message ?? 'map error';
      // Raster tile failures are common and not worth an alert each time.
      if (!/tile|Failed to fetch/i.test(msg)) o.onError(`Map: ${msg}`);
    });

    this.map.on('click', (e) => {
      if (!this.ready) return;
      const p = e.point;
      const hits = this.map.queryRenderedFeatures(
        [
          [p.x - 6, p.y - 6],
          [p.x + 6, p.y + 6],
        ],
        { layers: DRONE_LAYERS },
      );
      const id = hits[0]?.properties?.id;
      if (id != null) o.onSelect(String(id));
    });
    this.map.on('mousemove', (e) => {
      if (!this.ready) return;
      const p = e.point;
      const hit =
        this.map.queryRenderedFeatures(
          [
            [p.x - 4, p.y - 4],
            [p.x + 4, p.y + 4],
          ],
          { layers: DRONE_LAYERS },
        ).length > 0;
      this.map.getCanvas().style.cursor = hit ? 'pointer' : '';
    });
  }

  private savedView(): { center: [number, number]; zoom: number } | null {
    try {
      const v = JSON.parse(localStorage.getItem(VIEW_KEY) ?? 'null');
      if (Array.isArray(v?.center) && typeof v.zoom === 'number') return v;
    } catch {
      /* ignore */
    }
    return null;
  }

  private addIcon(id: string): void {
    if (this.map.hasImage(id)) return;
    const m = /^dt-(arrow|dot)-(\w+)$/.exec(id);
    if (!m) return;
    const status = (STATUSES as readonly string[]).includes(m[2]) ? (m[2] as keyof typeof STATUS_COLORS) : 'unknown';
    const img = m[1] === 'arrow' ? arrowImage(STATUS_COLORS[status]) : dotImage(STATUS_COLORS[status]);
    this.map.addImage(id, img.data, { pixelRatio: img.pixelRatio });
  }

  private onLoad(): void {
    for (const s of STATUSES) {
      this.addIcon(`dt-arrow-${s}`);
      this.addIcon(`dt-dot-${s}`);
    }
    const tiles = this.o.config.mapTileUrl;
    if (tiles) {
      this.map.addSource('tiles', { type: 'raster', tiles: [tiles], tileSize: 256, maxzoom: 19 });
      this.map.addLayer({ id: 'tiles', type: 'raster', source: 'tiles' }, 'track-line'); // below the drone layers
    }
    loadBasemap()
      .then((b) => {
        this.source('land')?.setData(b.land);
        this.source('coast')?.setData(b.coast);
        this.source('borders')?.setData(b.borders);
      })
      .catch(() => this.o.onError('The basemap could not be loaded; drones are still shown.'));
    this.ready = true;
    const all = (this.getAll?.() ?? []).map(toMapFeature);
    if (all.length) void this.source('drones')?.setData({ type: 'FeatureCollection', features: all });
    for (const w of this.readyWaiters.splice(0)) w();
  }

  whenReady(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((r) => this.readyWaiters.push(r));
  }

  private source(id: string): GeoJSONSource | undefined {
    return this.map.getSource(id) as GeoJSONSource | undefined;
  }

  /** Store sink: one diff per animation frame. Before the map is ready, the full set is sent on load. */
  bindStore(getAll: () => DroneFeature[]): (diff: GeoJSONSourceDiff) => Promise<void> {
    this.getAll = getAll;
    return (diff) => {
      if (!this.ready) return Promise.resolve();
      const src = this.source('drones');
      return src ? src.updateData(diff) : Promise.resolve();
    };
  }

  bbox(): BBox {
    const b = this.map.getBounds();
    return clampBBox(b.getWest(), b.getSouth(), b.getEast(), b.getNorth());
  }

  setSelected(id: string | null): void {
    if (!this.ready) {
      void this.whenReady().then(() => this.setSelected(id));
      return;
    }
    this.map.setFilter('drone-selected', ['==', ['get', 'id'], id ?? '']);
  }

  setTrack(coords: [number, number][]): void {
    const line: LineString = { type: 'LineString', coordinates: coords };
    const data: FeatureCollection =
      coords.length > 1 ? { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: line, properties: {} }] } : EMPTY;
    if (!this.ready) {
      void this.whenReady().then(() => this.source('track')?.setData(data));
      return;
    }
    void this.source('track')?.setData(data);
  }

  centerOn(lon: number, lat: number): void {
    this.userMoved = true;
    this.map.easeTo({ center: [lon, lat], zoom: Math.max(this.map.getZoom(), 9), duration: 600 });
  }

  /** Once per session, unless the user has moved the map (or a saved view exists): fit the fleet. */
  fitOnce(points: { lon: number; lat: number }[]): void {
    if (this.fitted || this.userMoved) return;
    this.fitted = true;
    if (points.length === 0) return;
    let w = 180,
      s = 90,
      e = -180,
      n = -90;
    for (const p of points) {
      w = Math.min(w, p.lon);
      e = Math.max(e, p.lon);
      s = Math.min(s, p.lat);
      n = Math.max(n, p.lat);
    }
    void this.whenReady().then(() =>
      this.map.fitBounds(
        [
          [w, s],
          [e, n],
        ],
        { padding: 60, maxZoom: 12, duration: 0 },
      ),
    );
  }

  destroy(): void {
    this.ready = false;
    this.map.remove();
  }
}
