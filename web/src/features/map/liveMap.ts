import { Map as MlMap, NavigationControl, AttributionControl, setWorkerUrl } from 'maplibre-gl';
import type { GeoJSONSource, GeoJSONSourceDiff, StyleSpecification, ExpressionSpecification, LngLatBoundsLike } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// The worker is bundled as its own file and loaded from our origin.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { FeatureCollection, LineString } from 'geojson';
import type { AppConfig, BBox, DroneFeature } from '../../types/drone';
import { STATUSES } from '../../types/drone';
import { loadBasemap } from './basemap';
import { toMapFeature } from '../live/liveStore';
import { arrowImage, dotImage, LOW_BATTERY_COLOR, OFFLINE_COLOR, STATUS_COLORS } from './icons';

setWorkerUrl(workerUrl);

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
const VIEW_KEY = 'dronetrack.view';
const isEmergency: ExpressionSpecification = ['==', ['get', 'status'], 'emergency'];

function style(): StyleSpecification {
  return {
    version: 8,
    // No glyphs, no sprite: nothing is fetched from outside; icons are drawn into canvases.
    sources: {
      land: { type: 'geojson', data: EMPTY, tolerance: 0.5 },
      coast: { type: 'geojson', data: EMPTY },
      borders: { type: 'geojson', data: EMPTY },
      track: { type: 'geojson', data: EMPTY },
      drones: { type: 'geojson', data: EMPTY, promoteId: 'id', buffer: 16, maxzoom: 14 },
    },
    layers: [
      { id: 'ocean', type: 'background', paint: { 'background-color': '#081521' } },
      { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': '#1d3144', 'fill-antialias': false } },
      { id: 'borders', type: 'line', source: 'borders', paint: { 'line-color': '#3b5570', 'line-width': 0.6 } },
      { id: 'coast', type: 'line', source: 'coast', paint: { 'line-color': '#4f7193', 'line-width': 0.9 } },
      {
        id: 'track-line',
        type: 'line',
        source: 'track',
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': '#ffd54f', 'line-width': 2.5, 'line-opacity': 0.9 },
      },
      {
        id: 'drone-offline',
        type: 'circle',
        source: 'drones',
        filter: ['==', ['get', 'online'], false],
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 2, 4.5, 6, 9, 10, 12],
          'circle-color': OFFLINE_COLOR,
          'circle-opacity': 0.45,
          'circle-stroke-color': OFFLINE_COLOR,
          'circle-stroke-width': 1,
        },
      },
      {
        id: 'drone-lowbat',
        type: 'circle',
        source: 'drones',
        filter: ['==', ['get', 'lowBattery'], true],
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 2, 4, 6, 8, 10, 10.5],
          'circle-color': LOW_BATTERY_COLOR,
          'circle-opacity': 0.25,
          'circle-stroke-color': LOW_BATTERY_COLOR,
          'circle-stroke-width': 2,
        },
      },
      {
        id: 'drone-selected',
        type: 'circle',
        source: 'drones',
        filter: ['==', ['get', 'id'], ''],
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 2, 9, 10, 16],
          'circle-color': 'rgba(0,0,0,0)',
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 2.5,
        },
      },
      {
        id: 'drone-icon',
        type: 'symbol',
        source: 'drones',
        layout: {
          'icon-image': [
            'concat',
            ['case', ['==', ['typeof', ['get', 'heading']], 'number'], 'dt-arrow-', 'dt-dot-'],
            ['match', ['get', 'status'], ['airborne', 'ground', 'emergency'], ['get', 'status'], 'unknown'],
          ],
          'icon-rotate': ['coalesce', ['get', 'heading'], 0],
          'icon-rotation-alignment': 'map',
          'icon-allow-overlap': true,
          'icon-ignore-placement': true,
          'icon-size': ['interpolate', ['linear'], ['zoom'], 2, ['case', isEmergency, 0.7, 0.45], 6, ['case', isEmergency, 1.05, 0.8], 10, ['case', isEmergency, 1.35, 1]],
          'symbol-z-order': 'source', // no per-frame sorting of 10k symbols
        },
        paint: { 'icon-opacity': ['case', ['==', ['get', 'online'], false], 0.55, 1] },
      },
    ],
  };
}

/** Clamps a viewport to what the API accepts: lon −180..180, lat −90..90, min ≤ max (no antimeridian crossing). */
export function clampBBox(w: number, s: number, e: number, n: number): BBox {
  const r = (v: number) => Math.round(v * 1e5) / 1e5;
  let west = w;
  let east = e;
  if (!(east - west < 360)) {
    west = -180;
    east = 180;
  } else {
    const shift = Math.floor((west + 180) / 360) * 360; // bring the west edge into [-180, 180)
    west -= shift;
    east -= shift;
    if (east > 180) {
      // crosses the antimeridian: the API takes one box, so ask for the whole longitude range
      west = -180;
      east = 180;
    }
  }
  const south = Math.max(-90, Math.min(90, s));
  const north = Math.max(-90, Math.min(90, n));
  return [r(Math.max(-180, west)), r(Math.min(south, north)), r(Math.min(180, east)), r(Math.max(south, north))];
}

export interface LiveMapOptions {
  container: HTMLElement;
  config: AppConfig;
  onSelect: (id: string) => void;
  onViewChange: () => void;
  onError: (message: string) => void;
}

export class LiveMap {
  readonly map: MlMap;
  private ready = false;
  private readyWaiters: (() => void)[] = [];
  private getAll: (() => DroneFeature[]) | null = null;
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

    const layers = ['drone-icon', 'drone-lowbat', 'drone-offline'];
    this.map.on('click', (e) => {
      if (!this.ready) return;
      const p = e.point;
      const hits = this.map.queryRenderedFeatures([[p.x - 6, p.y - 6], [p.x + 6, p.y + 6]], { layers });
      const id = hits[0]?.properties?.id;
      if (id != null) o.onSelect(String(id));
    });
    this.map.on('mousemove', (e) => {
      if (!this.ready) return;
      const p = e.point;
      const hit = this.map.queryRenderedFeatures([[p.x - 4, p.y - 4], [p.x + 4, p.y + 4]], { layers }).length > 0;
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
        (this.map.getSource('land') as GeoJSONSource | undefined)?.setData(b.land);
        (this.map.getSource('coast') as GeoJSONSource | undefined)?.setData(b.coast);
        (this.map.getSource('borders') as GeoJSONSource | undefined)?.setData(b.borders);
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
    const data: FeatureCollection = coords.length > 1 ? { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: line, properties: {} }] } : EMPTY;
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

  fit(bounds: LngLatBoundsLike): void {
    this.map.fitBounds(bounds, { padding: 60, maxZoom: 12, duration: 0 });
  }

  resize(): void {
    this.map.resize();
  }

  destroy(): void {
    this.ready = false;
    this.map.remove();
  }
}
