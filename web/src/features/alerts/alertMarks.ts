import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';

/** A red ring under each drone with an open alert (at its latest known position). */
export class AlertMarks {
  private installed = false;

  constructor(private readonly map: MlMap) {}

  install(): void {
    this.map.addSource('alert-marks', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    const before = this.map.getLayer('drone-icon') ? 'drone-icon' : undefined;
    this.map.addLayer(
      {
        id: 'alert-marks',
        type: 'circle',
        source: 'alert-marks',
        paint: { 'circle-radius': 14, 'circle-color': 'rgba(255,77,79,0.15)', 'circle-stroke-color': '#ff4d4f', 'circle-stroke-width': 2 },
      },
      before,
    );
    this.installed = true;
  }

  update(droneIds: ReadonlySet<string>, where: (id: string) => [number, number] | undefined): void {
    if (!this.installed) return;
    const features = [...droneIds].flatMap((id) => {
      const c = where(id);
      return c ? [{ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: c }, properties: { id } }] : [];
    });
    (this.map.getSource('alert-marks') as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features });
  }
}
