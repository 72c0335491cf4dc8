import { Controller, Get, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { WORLD } from '../core/index.js';
import { AllowQueryToken, type UserRequest } from '../identity/index.js';
import { UserAuthGuard } from '../identity/index.js';
import { DroneQueryService } from './drone-query.service.js';
import { LiveStreamService } from './live-stream.service.js';
import { onlyParams, parseBBoxParam, parseLimit } from '../ops/index.js';

@ApiTags('map')
@ApiBearerAuth('accessToken')
@UseGuards(UserAuthGuard)
@Controller('api/v1/map')
export class MapHttpController {
  constructor(
    private readonly drones: DroneQueryService,
    private readonly stream: LiveStreamService,
  ) {}

  @Get('drones')
  @ApiOperation({ summary: 'GeoJSON FeatureCollection of the drones whose latest position is in the box' })
  @ApiQuery({ name: 'bbox', required: false, description: 'minLon,minLat,maxLon,maxLat (default: the whole world)' })
  @ApiQuery({ name: 'limit', required: false, description: '1..10000, default 5000' })
  async box(
    @Req() req: UserRequest,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    onlyParams(query, ['bbox', 'limit']);
    const box = query.bbox === undefined ? WORLD : parseBBoxParam(query.bbox);
    const json = await this.drones.box(req.user!.tenantId, box, parseLimit(query.limit, 5000, 10_000));
    reply.type('application/json; charset=utf-8');
    return json;
  }

  @Get('stream')
  @AllowQueryToken()
  @ApiOperation({ summary: 'Server-sent events: one `event: drone` (a Feature) per state change in the box' })
  @ApiQuery({ name: 'bbox', required: false })
  @ApiQuery({ name: 'access_token', required: false, description: 'for EventSource, which cannot send headers' })
  @ApiProduces('text/event-stream')
  @ApiResponse({ status: 429, description: 'The user already holds STREAM_MAX_PER_USER open streams' })
  open(@Req() req: UserRequest, @Query() query: Record<string, unknown>, @Res() reply: FastifyReply): void {
    onlyParams(query, ['bbox', 'access_token']);
    const box = query.bbox === undefined ? WORLD : parseBBoxParam(query.bbox);
    // Refused (429) before the response is taken over, so the error leaves in the contract's shape.
    this.stream.admit(req.user!);
    reply.hijack();
    this.stream.open(req.user!, box, reply.raw);
  }
}
