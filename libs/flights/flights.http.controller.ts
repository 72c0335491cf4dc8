import { Controller, Get, Param, Query, Req, Res, UseGuards, type StreamableFile } from '@nestjs/common';
import { InvalidInputError } from '../core/index.js';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AllowQueryToken, type UserRequest } from '../identity/index.js';
import { ParseIdPipe } from '../identity/index.js';
import { UserAuthGuard } from '../identity/index.js';
import { onlyParams, parseLimit, parseTime, jsonPiecesBody } from '../ops/index.js';
import { EXPORT_FORMAT_NAMES, parseExportFormat } from './export/export-formats.js';
import { FlightExportService, MAX_EXPORT_POINTS } from './flight-export.service.js';
import { decodeFlightCursor, encodeFlightCursor, parseOptionalId } from './flight-params.js';
import { FlightQueryService } from './flight-query.service.js';
import { FlightDoc, FlightPageDoc, FlightTrackDoc } from './flight.openapi.js';
import { sendExport } from './send-export.js';

const WEEK_MS = 7 * 24 * 3_600_000;

@ApiTags('flights')
@ApiBearerAuth('accessToken')
@UseGuards(UserAuthGuard)
@Controller('api/v1/flights')
export class FlightsHttpController {
  constructor(
    private readonly flights: FlightQueryService,
    private readonly exports: FlightExportService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Flights overlapping [from, to], newest first (default: the last 7 days)' })
  @ApiQuery({ name: 'droneId', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiQuery({ name: 'from', required: false, schema: { type: 'string', format: 'date-time' } })
  @ApiQuery({ name: 'to', required: false, schema: { type: 'string', format: 'date-time' } })
  @ApiQuery({ name: 'limit', required: false, description: '1..500, default 100', schema: { type: 'integer', minimum: 1, maximum: 500 } })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiOkResponse({ type: FlightPageDoc })
  @ApiResponse({ status: 404, description: 'droneId names no drone of this tenant' })
  async list(@Req() req: UserRequest, @Query() query: Record<string, unknown>) {
    onlyParams(query, ['droneId', 'from', 'to', 'limit', 'cursor']);
    const droneId = parseOptionalId('droneId', query.droneId);
    const to = parseTime('to', query.to) ?? Date.now();
    const from = parseTime('from', query.from) ?? to - WEEK_MS;
    if (from > to) throw new InvalidInputError('from must not be after to');
    const limit = parseLimit(query.limit, 100, 500);
    const page = await this.flights.list(req.user!.tenantId, { droneId, from, to, limit, after: decodeFlightCursor(query.cursor) });
    return { items: page.items, nextCursor: encodeFlightCursor(page.last) };
  }

  @Get(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'One flight' })
  @ApiOkResponse({ type: FlightDoc })
  @ApiResponse({ status: 404, description: 'No such flight in this tenant' })
  async detail(@Req() req: UserRequest, @Param('id', ParseIdPipe) id: string, @Query() query: Record<string, unknown>) {
    onlyParams(query, []);
    return this.flights.detail(req.user!.tenantId, id);
  }

  @Get(':id/track')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'All points of a flight, ascending' })
  @ApiOkResponse({ type: FlightTrackDoc })
  @ApiResponse({ status: 404, description: 'No such flight in this tenant' })
  async track(
    @Req() req: UserRequest,
    @Param('id', ParseIdPipe) id: string,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    onlyParams(query, []);
    const json = await this.flights.track(req.user!.tenantId, id);
    return jsonPiecesBody(json, reply);
  }

  @Get(':id/export')
  @AllowQueryToken()
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: `A flight as a file (at most ${MAX_EXPORT_POINTS} points)` })
  @ApiQuery({ name: 'format', required: true, schema: { type: 'string', enum: EXPORT_FORMAT_NAMES } })
  @ApiQuery({ name: 'access_token', required: false, description: 'for plain download links, which cannot send headers' })
  @ApiProduces('application/gpx+xml', 'application/vnd.google-earth.kml+xml', 'text/csv', 'application/geo+json')
  @ApiResponse({ status: 404, description: 'No such flight in this tenant' })
  async export(
    @Req() req: UserRequest,
    @Param('id', ParseIdPipe) id: string,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ) {
    onlyParams(query, ['format', 'access_token']);
    const format = parseExportFormat(query.format);
    sendExport(reply, await this.exports.flight(req.user!.tenantId, id, format));
  }
}
