import { csvFormat } from './csv.format.js';
import { InvalidInputError } from '../../core/index.js';
import type { ExportFormat } from './export-format.js';
import { geojsonFormat } from './geojson.format.js';
import { gpxFormat } from './gpx.format.js';
import { kmlFormat } from './kml.format.js';

export const EXPORT_FORMATS: Record<string, ExportFormat> = { gpx: gpxFormat, kml: kmlFormat, csv: csvFormat, geojson: geojsonFormat };
export const EXPORT_FORMAT_NAMES = Object.keys(EXPORT_FORMATS);

/** The `format` query parameter: required, one of the names above. */
export function parseExportFormat(raw: unknown): ExportFormat {
  if (typeof raw === 'string' && Object.hasOwn(EXPORT_FORMATS, raw)) return EXPORT_FORMATS[raw];
  const what = raw === undefined || raw === '' ? 'format is required' : 'format is not supported';
  throw new InvalidInputError(`${what}: use one of ${EXPORT_FORMAT_NAMES.join(', ')}`);
}
