import type { FastifyReply } from 'fastify';
import type { ExportFile } from './flight-export.service.js';

/** Streams an export as a download. Filenames are ASCII ids and times, so the header needs no encoding. */
export function sendExport(reply: FastifyReply, file: ExportFile): void {
  void reply
    .header('content-type', file.contentType)
    .header('content-disposition', `attachment; filename="${file.filename}"`)
    .header('cache-control', 'no-store')
    .send(file.body);
}
