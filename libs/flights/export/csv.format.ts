import type { TelemetryPoint } from '../../core/index.js';
import type { ExportFormat, ExportWriter } from './export-format.js';

export const CSV_COLUMNS = [
  'timestamp',
  'lat',
  'lon',
  'altitude',
  'heightAgl',
  'speed',
  'verticalSpeed',
  'heading',
  'battery',
  'status',
  'accuracy',
] as const;

/** CSV with the contract's header; a missing value is an empty cell. No cell needs quoting (numbers, ISO times, status words). */
export const csvFormat: ExportFormat = {
  contentType: 'text/csv; charset=utf-8',
  extension: 'csv',
  writer: (): ExportWriter => ({
    head: () => `${CSV_COLUMNS.join(',')}\r\n`,
    page: (points: TelemetryPoint[]) => points.map(row).join(''),
    tail: () => '',
  }),
};

function row(p: TelemetryPoint): string {
  const cell = (v: number | undefined) => (v === undefined ? '' : String(v));
  return (
    [
      new Date(p.ts).toISOString(),
      p.lat,
      p.lon,
      cell(p.altitude),
      cell(p.heightAgl),
      cell(p.speed),
      cell(p.verticalSpeed),
      cell(p.heading),
      cell(p.battery),
      p.status,
      cell(p.accuracy),
    ].join(',') + '\r\n'
  );
}
