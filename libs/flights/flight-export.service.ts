import { Readable } from 'node:stream';
import { InvalidInputError } from '../core/index.js';
import { Inject, Injectable } from '@nestjs/common';
import { TELEMETRY_REPOSITORY, type TelemetryRepository, type TrackQuery } from '../store/index.js';
import type { ExportFormat, ExportMeta } from './export/export-format.js';
import { FlightQueryService } from './flight-query.service.js';
import { countPointsUpTo, trackPages } from './track-pages.js';

/** The contract's limit for one export file. */
export const MAX_EXPORT_POINTS = 100_000;

export interface ExportFile {
  contentType: string;
  filename: string;
  body: Readable;
}

/** Export files, streamed page by page from the store (never the whole track in memory). */
@Injectable()
export class FlightExportService {
  constructor(
    private readonly query: FlightQueryService,
    @Inject(TELEMETRY_REPOSITORY) private readonly telemetry: TelemetryRepository,
  ) {}

  async flight(tenantId: string, flightId: string, format: ExportFormat): Promise<ExportFile> {
    const f = await this.query.record(tenantId, flightId);
    if (f.points > MAX_EXPORT_POINTS) throw tooMany(f.points);
    const drone = await this.query.drone(tenantId, f.droneId).catch(() => null);
    const name = `${drone?.name ?? 'drone'} flight ${new Date(f.startTs).toISOString()}`;
    const range = { tenantId, droneId: f.droneId, from: f.startTs, to: f.endTs };
    return this.file(format, { name, droneId: f.droneId, flightId: f.id }, range, `flight-${f.id}`);
  }

  async droneTrack(tenantId: string, droneId: string, from: number, to: number, format: ExportFormat): Promise<ExportFile> {
    const drone = await this.query.drone(tenantId, droneId);
    const range = { tenantId, droneId, from, to };
    // Counted before the first byte, so a refusal is a clean 400 rather than a cut-off file.
    const n = await countPointsUpTo(this.telemetry, range, MAX_EXPORT_POINTS);
    if (n > MAX_EXPORT_POINTS) throw tooMany(n);
    const stamp = (ts: number) => new Date(ts).toISOString().replace(/[:.]/g, '-');
    return this.file(format, { name: drone.name, droneId, flightId: null }, range, `drone-${droneId}-${stamp(from)}-${stamp(to)}`);
  }

  private file(format: ExportFormat, meta: ExportMeta, range: Omit<TrackQuery, 'limit'>, base: string): ExportFile {
    const telemetry = this.telemetry;
    const writer = format.writer();
    async function* chunks(): AsyncGenerator<string> {
      yield writer.head(meta);
      for await (const page of trackPages(telemetry, range)) yield writer.page(page);
      yield writer.tail();
    }
    return {
      contentType: format.contentType,
      filename: `${base}.${format.extension}`,
      body: Readable.from(chunks(), { objectMode: false }),
    };
  }
}

function tooMany(n: number) {
  return new InvalidInputError(
    `the export holds ${n > MAX_EXPORT_POINTS ? `more than ${MAX_EXPORT_POINTS}` : n} points; at most ${MAX_EXPORT_POINTS} can be exported at once, narrow from/to`,
  );
}
