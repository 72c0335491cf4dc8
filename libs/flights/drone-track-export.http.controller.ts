import { Controller, Get, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import { InvalidInputError } from '../core/index.js';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AllowQueryToken, type UserRequest } from '../identity/index.js';
import { ParseIdPipe } from '../identity/index.js';
import { UserAuthGuard } from '../identity/index.js';
import { onlyParams, parseTime } from '../ops/index.js';
import { EXPORT_FORMAT_NAMES, parseExportFormat } from './export/export-formats.js';
import { FlightExportService, MAX_EXPORT_POINTS } from './flight-export.service.js';
import { sendExport } from './send-export.js';

const HOUR_MS = 3_600_000;

@ApiTags('drones')
@ApiBearerAuth('accessToken')
@UseGuards(UserAuthGuard)
@Controller('api/v1/drones')
export class DroneTrackExportHttpController {
  constructor(private readonly exports: FlightExportService) {}

  @Get(':id/track/export')
  @AllowQueryToken()
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: `A drone's track in [from, to] as a file (default: the last hour; at most ${MAX_EXPORT_POINTS} points)` })
  @ApiQuery({ name: 'format', required: true, schema: { type: 'string', enum: EXPORT_FORMAT_NAMES } })
  @ApiQuery({ name: 'from', required: false, schema: { type: 'string', format: 'date-time' } })
  @ApiQuery({ name: 'to', required: false, schema: { type: 'string', format: 'date-time' } })
  @ApiQuery({ name: 'access_token', required: false, description: 'for plain download links, which cannot send headers' })
  @ApiProduces('application/gpx+xml', 'application/vnd.google-earth.kml+xml', 'text/csv', 'application/geo+json')
  @ApiResponse({ status: 400, description: 'Unknown format, bad dates, or more points than an export may hold' })
  @ApiResponse({ status: 404, description: 'No such drone in this tenant' })
  async export(
    @Req() req: UserRequest,
    @Param('id', ParseIdPipe) id: string,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ) {
    onlyParams(query, ['format', 'from', 'to', 'access_token']);
    const format = parseExportFormat(query.format);
    const to = parseTime('to', query.to) ?? Date.now();
    const from = parseTime('from', query.from) ?? to - HOUR_MS;
    if (from > to) throw new InvalidInputError('from must not be after to');
    sendExport(reply, await this.exports.droneTrack(req.user!.tenantId, id, from, to, format));
  }
}
