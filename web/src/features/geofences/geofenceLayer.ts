import { Marker, type GeoJSONSource, type Map as MlMap } from 'maplibre-gl';
import type { Feature, FeatureCollection, LineString, Point, Polygon, MultiPolygon } from 'geojson';
import type { Geofence } from '../../types';
import { bandLabel, RULE_COLORS } from './rules';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/**
 * Geofences on the map: fill and outline coloured by rule (keep-out red, keep-in green, faded when
 * inactive) and a label with name and height band. The style has no glyphs (nothing is fetched
 * from outside), so labels are HTML markers. Also draws the draft of a shape being drawn.
 */
export class GeofenceLayer {
  private labels: Marker[] = [];

  constructor(private readonly map: MlMap) {}

  install(): void {
    const m = this.map;
    m.addSource('geofences', { type: 'geojson', data: EMPTY });
    m.addSource('geofence-draft', { type: 'geojson', data: EMPTY });
    const color = ['match', ['get', 'rule'], 'keep-in', RULE_COLORS['keep-in'], RULE_COLORS['keep-out']] as never;
    const before = m.getLayer('track-line') ? 'track-line' : undefined;
    m.addLayer(
      {
        id: 'geofence-fill',
        type: 'fill',
        source: 'geofences',
        paint: { 'fill-color': color, 'fill-opacity': ['case', ['get', 'active'], 0.18, 0.05] },
      },
      before,
    );
    m.addLayer(
      { id: 'geofence-line', type: 'line', source: 'geofences', paint: { 'line-color': color, 'line-width': 2, 'line-dasharray': [2, 1] } },
      before,
    );
    m.addLayer({ id: 'geofence-draft-line', type: 'line', source: 'geofence-draft', paint: { 'line-color': '#ffd60a', 'line-width': 2 } });
    m.addLayer({
      id: 'geofence-draft-vertex',
      type: 'circle',
      source: 'geofence-draft',
      filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 4, 'circle-color': '#ffd60a' },
    });
  }

  show(fences: Geofence[]): void {
    const features: Feature<Polygon | MultiPolygon>[] = fences.map((g) => ({
      type: 'Feature',
      id: g.id,
      geometry: g.geometry,
      properties: { id: g.id, rule: g.rule, active: g.active },
    }));
    (this.map.getSource('geofences') as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features });
    for (const l of this.labels) l.remove();
    this.labels = fences.map((g) => {
      const ring = g.geometry.type === 'Polygon' ? g.geometry.coordinates[0] : g.geometry.coordinates[0][0];
      const [lon, lat] = centre(ring);
      const band = bandLabel(g);
      return new Marker({ element: labelElement(g.name, band, g.active, RULE_COLORS[g.rule]) }).setLngLat([lon, lat]).addTo(this.map);
    });
  }

  /** The shape being drawn: its vertices and the closed outline so far. */
  draft(vertices: [number, number][]): void {
    const features: Feature<Point | LineString>[] = vertices.map((c) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: c },
      properties: {},
    }));
    if (vertices.length > 1)
      features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: [...vertices, vertices[0]] }, properties: {} });
    (this.map.getSource('geofence-draft') as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features });
  }

  /** The geofence id under a screen point, if any. */
  hit(point: { x: number; y: number }): string | null {
    const hits = this.map.queryRenderedFeatures([point.x, point.y] as never, { layers: ['geofence-fill'] });
    const id = hits[0]?.properties?.id;
    return id == null ? null : String(id);
  }
}

/** A map label is a MapLibre Marker: plain DOM, outside the component tree. */
function labelElement(name: string, band: string, active: boolean, color: string): HTMLElement {
  const el = document.createElement('div');
  el.className = `geofence-label ${active ? '' : 'inactive'}`;
  el.dataset.testid = 'geofence-label';
  el.style.setProperty('--c', color);
  el.append(name);
  if (band) el.append(Object.assign(document.createElement('small'), { textContent: band }));
  return el;
}

function centre(ring: number[][]): [number, number] {
  let x = 0;
  let y = 0;
  const n = Math.max(1, ring.length - 1);
  for (let i = 0; i < n; i++) {
    x += ring[i][0];
    y += ring[i][1];
  }
  return [x / n, y / n];
}
