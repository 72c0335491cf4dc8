import { Marker, type GeoJSONSource, type Map as MlMap } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
const TRACK = 'replay-track';

/**
 * The replayed flight on the live map: its whole track (one line source, set once) and the drone,
 * a DOM marker. Moving the marker is a CSS transform; a source or camera change per frame would
 * make MapLibre redraw the whole map (100–400 ms per frame on software WebGL).
 */
export class ReplayLayer {
  private marker: Marker | null = null;

  constructor(private readonly map: MlMap) {}

  showTrack(coords: [number, number][]): void {
    if (!this.map.getSource(TRACK)) {
      this.map.addSource(TRACK, { type: 'geojson', data: EMPTY });
      this.map.addLayer({
        id: TRACK,
        type: 'line',
        source: TRACK,
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': '#4fc3f7', 'line-width': 3, 'line-opacity': 0.85 },
      });
    }
    const data: FeatureCollection = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: coords } }],
    };
    void (this.map.getSource(TRACK) as GeoJSONSource).setData(data);
  }

  moveMarker(lon: number, lat: number): void {
    if (!this.marker) {
      const el = document.createElement('div');
      el.className = 'replay-marker';
      el.dataset.testid = 'replay-marker';
      this.marker = new Marker({ element: el }).setLngLat([lon, lat]).addTo(this.map);
    } else this.marker.setLngLat([lon, lat]);
  }

  fit(bbox: [number, number, number, number]): void {
    this.map.fitBounds(
      [
        [bbox[0], bbox[1]],
        [bbox[2], bbox[3]],
      ],
      { padding: 80, maxZoom: 16, duration: 0 },
    );
  }

  /**
   * Keeps the drone in view. A re-centre redraws the map, so it happens only when the drone has
   * left the central half of the view (or `now`: a seek), not every frame.
   */
  follow(lon: number, lat: number, now = false): void {
    if (!now) {
      const { x, y } = this.map.project([lon, lat]);
      const c = this.map.getContainer();
      const w = c.clientWidth;
      const h = c.clientHeight;
      if (Math.abs(x - w / 2) <= w / 4 && Math.abs(y - h / 2) <= h / 4) return;
    }
    this.map.jumpTo({ center: [lon, lat] });
  }

  clear(): void {
    this.marker?.remove();
    this.marker = null;
    if (this.map.getLayer(TRACK)) this.map.removeLayer(TRACK);
    if (this.map.getSource(TRACK)) this.map.removeSource(TRACK);
  }
}
