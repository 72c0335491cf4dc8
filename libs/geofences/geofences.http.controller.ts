import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly, type UserRequest } from '../identity/index.js';
import { ParseIdPipe } from '../identity/index.js';
import { UserAuthGuard } from '../identity/index.js';
import { decodeCursor, encodeCursor, onlyParams, parseLimit } from '../ops/index.js';
import { toGeofenceView } from './geofence.js';
import { geofenceBodySchema } from './geofence.openapi.js';
import { GeofencesService } from './geofences.service.js';

@ApiTags('geofences')
@ApiBearerAuth('accessToken')
@UseGuards(UserAuthGuard)
@Controller('api/v1/geofences')
export class GeofencesHttpController {
  constructor(private readonly geofences: GeofencesService) {}

  @Post()
  @AdminOnly()
  @ApiOperation({ summary: 'Create a geofence (tenant admin)' })
  @ApiBody({ schema: geofenceBodySchema(['name', 'rule', 'geometry']) as never })
  @ApiResponse({ status: 409, description: 'The tenant already holds 1,000 geofences' })
  async create(@Req() req: UserRequest, @Body() body: unknown) {
    return toGeofenceView(await this.geofences.create(req.user!.tenantId, body));
  }

  @Get()
  @ApiOperation({ summary: "List the tenant's geofences" })
  @ApiQuery({ name: 'limit', required: false, description: '1..500, default 100' })
  @ApiQuery({ name: 'cursor', required: false })
  async list(@Req() req: UserRequest, @Query() query: Record<string, unknown>) {
    onlyParams(query, ['limit', 'cursor']);
    const page = await this.geofences.list(req.user!.tenantId, parseLimit(query.limit, 100, 500), decodeCursor(query.cursor));
    return { items: page.items.map(toGeofenceView), nextCursor: encodeCursor(page.next) };
  }

  @Get(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'One geofence' })
  async get(@Req() req: UserRequest, @Param('id', ParseIdPipe) id: string) {
    return toGeofenceView(await this.geofences.get(req.user!.tenantId, id));
  }

  @Patch(':id')
  @AdminOnly()
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Change any fields of a geofence (tenant admin)' })
  @ApiBody({ schema: geofenceBodySchema([]) as never })
  async update(@Req() req: UserRequest, @Param('id', ParseIdPipe) id: string, @Body() body: unknown) {
    return toGeofenceView(await this.geofences.update(req.user!.tenantId, id, body));
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(204)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Delete a geofence (tenant admin); its open alerts resolve' })
  async remove(@Req() req: UserRequest, @Param('id', ParseIdPipe) id: string): Promise<void> {
    await this.geofences.delete(req.user!.tenantId, id);
  }
}
