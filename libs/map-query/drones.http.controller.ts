import { Controller, Get, Param, Query, Req, Res, UseGuards, type StreamableFile } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { InvalidInputError } from '../core/index.js';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { UserRequest } from '../identity/index.js';
import { ParseIdPipe } from '../identity/index.js';
import { UserAuthGuard } from '../identity/index.js';
import { DroneQueryService } from './drone-query.service.js';
import { decodeCursor, encodeCursor, onlyParams, parseLimit, parseTime, jsonPiecesBody } from '../ops/index.js';

const HOUR_MS = 3_600_000;

@ApiTags('drones')
@ApiBearerAuth('accessToken')
@UseGuards(UserAuthGuard)
@Controller('api/v1/drones')
export class DronesHttpController {
  constructor(private readonly drones: DroneQueryService) {}

  @Get()
  @ApiOperation({ summary: "List the tenant's drones with their latest state" })
  @ApiQuery({ name: 'limit', required: false, description: '1..500, default 100' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  async list(@Req() req: UserRequest, @Query() query: Record<string, unknown>) {
    onlyParams(query, ['limit', 'cursor']);
    const limit = parseLimit(query.limit, 100, 500);
    const page = await this.drones.list(req.user!.tenantId, limit, decodeCursor(query.cursor));
    return { items: page.items, nextCursor: encodeCursor(page.next) };
  }

  @Get(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'One drone with its latest state' })
  @ApiResponse({ status: 404, description: 'No such drone in this tenant' })
  async detail(@Req() req: UserRequest, @Param('id', ParseIdPipe) id: string) {
    return this.drones.detail(req.user!.tenantId, id);
  }

  @Get(':id/track')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Points of a drone in ascending timestamp (default: the last hour)' })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1..10000, default 1000' })
  async track(
    @Req() req: UserRequest,
    @Param('id', ParseIdPipe) id: string,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    onlyParams(query, ['from', 'to', 'limit']);
    const to = parseTime('to', query.to) ?? Date.now();
    const from = parseTime('from', query.from) ?? to - HOUR_MS;
    if (from > to) throw new InvalidInputError('from must not be after to');
    const limit = parseLimit(query.limit, 1000, 10_000);
    const json = await this.drones.track(req.user!.tenantId, id, from, to, limit);
    return jsonPiecesBody(json, reply);
  }
}
