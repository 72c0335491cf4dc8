import type { TelemetryPoint } from '../../core/index.js';
import type { ExportFormat, ExportMeta, ExportWriter } from './export-format.js';

/**
 * A FeatureCollection with one LineString feature ([lon, lat, altitude] positions; [lon, lat]
 * where a point has no altitude). Properties come first so the coordinates can stream.
 */
export const geojsonFormat: ExportFormat = {
  contentType: 'application/geo+json',
  extension: 'geojson',
  writer: (): ExportWriter => {
    let started = false;
    return {
      head: (meta: ExportMeta) =>
        '{"type":"FeatureCollection","features":[{"type":"Feature",' +
        `"properties":${JSON.stringify({ name: meta.name, droneId: meta.droneId, flightId: meta.flightId })},` +
        '"geometry":{"type":"LineString","coordinates":[',
      page: (points: TelemetryPoint[]) => {
        if (points.length === 0) return '';
        const body = points.map((p) => JSON.stringify(p.altitude === undefined ? [p.lon, p.lat] : [p.lon, p.lat, p.altitude])).join(',');
        const out = (started ? ',' : '') + body;
        started = true;
        return out;
      },
      tail: () => ']}}]}\n',
    };
  },
};
