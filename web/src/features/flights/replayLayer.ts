import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
const TRACK = 'replay-track';
const MARKER = 'replay-marker';

/**
 * The replayed flight on the live map: its whole track (set once) and the drone's marker, the
 * one source that changes per frame (a single point, so each update is cheap).
 */
export class ReplayLayer {
  constructor(private readonly map: MlMap) {}

  private ensure(): void {
    if (this.map.getSource(TRACK)) return;
    this.map.addSource(TRACK, { type: 'geojson', data: EMPTY });
    this.map.addSource(MARKER, { type: 'geojson', data: EMPTY });
    this.map.addLayer({
      id: TRACK,
      type: 'line',
      source: TRACK,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': '#4fc3f7', 'line-width': 3, 'line-opacity': 0.85 },
    });
    this.map.addLayer({
      id: MARKER,
      type: 'circle',
      source: MARKER,
      paint: { 'circle-radius': 8, 'circle-color': '#4fc3f7', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2.5 },
    });
  }

  showTrack(coords: [number, number][]): void {
    this.ensure();
    const data: FeatureCollection = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: coords } }],
    };
    void (this.map.getSource(TRACK) as GeoJSONSource).setData(data);
  }

  moveMarker(lon: number, lat: number): void {
    this.ensure();
    void (this.map.getSource(MARKER) as GeoJSONSource).setData({
      type: 'Feature',
      properties: {},
      geometry: { type: 'Point', coordinates: [lon, lat] },
    });
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

  follow(lon: number, lat: number): void {
    this.map.jumpTo({ center: [lon, lat] });
  }

  clear(): void {
    for (const id of [MARKER, TRACK]) {
      if (this.map.getLayer(id)) this.map.removeLayer(id);
      if (this.map.getSource(id)) this.map.removeSource(id);
    }
  }
}
