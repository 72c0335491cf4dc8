import type { TelemetryPoint } from '../../core/index.js';
import type { ExportFormat, ExportMeta, ExportWriter } from './export-format.js';
import { xmlText } from './xml-text.js';

/**
 * KML 2.2: a Placemark with a LineString at absolute altitudes (KML's "absolute" is above sea
 * level; the stored altitude is above the WGS84 ellipsoid, the closest the data offers).
 * Points without an altitude are written as lon,lat.
 */
export const kmlFormat: ExportFormat = {
  contentType: 'application/vnd.google-earth.kml+xml',
  extension: 'kml',
  writer: (): ExportWriter => {
    let first: number | null = null;
    let last: number | null = null;
    return {
      head: (meta: ExportMeta) =>
        '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>\n' +
        `<name>${xmlText(meta.name)}</name>\n` +
        `<Placemark><name>${xmlText(meta.name)}</name>\n` +
        '<LineString><extrude>0</extrude><tessellate>0</tessellate><altitudeMode>absolute</altitudeMode><coordinates>\n',
      page: (points: TelemetryPoint[]) => {
        if (points.length > 0) {
          first ??= points[0].ts;
          last = points[points.length - 1].ts;
        }
        return points.map((p) => (p.altitude === undefined ? `${p.lon},${p.lat}\n` : `${p.lon},${p.lat},${p.altitude}\n`)).join('');
      },
      tail: () => {
        const span =
          first === null
            ? ''
            : `<TimeSpan><begin>${new Date(first).toISOString()}</begin><end>${new Date(last!).toISOString()}</end></TimeSpan>`;
        return `</coordinates></LineString>${span}</Placemark>\n</Document></kml>\n`;
      },
    };
  },
};
