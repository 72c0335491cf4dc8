import type { TelemetryPoint } from '../../core/index.js';

/** What an export file says about itself (names are escaped by each format). */
export interface ExportMeta {
  /** Title: the drone's name, with the flight's start for a flight. */
  name: string;
  droneId: string;
  flightId: string | null;
}

/**
 * One file format, written in pieces so an export streams page by page: `head`, then `page`
 * for each page of points (ascending), then `tail`. A writer keeps the little state it needs
 * (e.g. whether a separator is due), so create one per response.
 */
export interface ExportWriter {
  head(meta: ExportMeta): string;
  page(points: TelemetryPoint[]): string;
  tail(): string;
}

export interface ExportFormat {
  contentType: string;
  extension: string;
  writer(): ExportWriter;
}
