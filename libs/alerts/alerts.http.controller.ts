import { Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { UserRequest } from '../identity/index.js';
import { ParseIdPipe } from '../identity/index.js';
import { UserAuthGuard } from '../identity/index.js';
import { toAlertView } from './alert.js';
import { encodeAlertCursor, parseAlertQuery } from './alert-query.params.js';
import { AlertsService } from './alerts.service.js';

@ApiTags('alerts')
@ApiBearerAuth('accessToken')
@UseGuards(UserAuthGuard)
@Controller('api/v1/alerts')
export class AlertsHttpController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @ApiOperation({ summary: "The tenant's alerts, newest openedAt first" })
  @ApiQuery({ name: 'state', required: false, enum: ['open', 'resolved', 'all'], description: 'default open' })
  @ApiQuery({ name: 'droneId', required: false })
  @ApiQuery({ name: 'type', required: false, enum: ['low_battery', 'offline', 'emergency', 'geofence'] })
  @ApiQuery({ name: 'from', required: false, description: 'openedAt from (ISO-8601)' })
  @ApiQuery({ name: 'to', required: false, description: 'openedAt to (ISO-8601)' })
  @ApiQuery({ name: 'limit', required: false, description: '1..500, default 100' })
  @ApiQuery({ name: 'cursor', required: false })
  async list(@Req() req: UserRequest, @Query() query: Record<string, unknown>) {
    const page = await this.alerts.list(parseAlertQuery(req.user!.tenantId, query));
    return { items: page.items.map(toAlertView), nextCursor: encodeAlertCursor(page.next) };
  }

  @Get(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'One alert' })
  @ApiResponse({ status: 404, description: 'No such alert in this tenant' })
  async get(@Req() req: UserRequest, @Param('id', ParseIdPipe) id: string) {
    return toAlertView(await this.alerts.get(req.user!.tenantId, id));
  }

  @Post(':id/ack')
  @HttpCode(200)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Acknowledge an alert (any user of the tenant); a second ack changes nothing' })
  async ack(@Req() req: UserRequest, @Param('id', ParseIdPipe) id: string) {
    return toAlertView(await this.alerts.acknowledge(req.user!.tenantId, id, req.user!.id));
  }
}
