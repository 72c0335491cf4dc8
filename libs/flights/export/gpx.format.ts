import type { TelemetryPoint } from '../../core/index.js';
import type { ExportFormat, ExportMeta, ExportWriter } from './export-format.js';
import { xmlText } from './xml-text.js';

/** GPX 1.1: one trk with one trkseg; trkpt carries ele (altitude above WGS84) and time. */
export const gpxFormat: ExportFormat = {
  contentType: 'application/gpx+xml',
  extension: 'gpx',
  writer: (): ExportWriter => ({
    head: (meta: ExportMeta) =>
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<gpx version="1.1" creator="dronetrack" xmlns="http://www.topografix.com/GPX/1/1">\n' +
      `<metadata><name>${xmlText(meta.name)}</name></metadata>\n` +
      `<trk><name>${xmlText(meta.name)}</name><type>drone</type><trkseg>\n`,
    page: (points: TelemetryPoint[]) => points.map(trkpt).join(''),
    tail: () => '</trkseg></trk>\n</gpx>\n',
  }),
};

function trkpt(p: TelemetryPoint): string {
  const ele = p.altitude === undefined ? '' : `<ele>${p.altitude}</ele>`;
  return `<trkpt lat="${p.lat}" lon="${p.lon}">${ele}<time>${new Date(p.ts).toISOString()}</time></trkpt>\n`;
}
