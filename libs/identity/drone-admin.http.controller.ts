import { Body, Controller, Delete, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly, type UserRequest } from './auth-user.js';
import { ParseIdPipe } from './id.pipe.js';
import { CreateDroneDto } from './identity.dto.js';
import { IdentityService } from './identity.service.js';
import { UserAuthGuard } from './user-auth.guard.js';

@ApiTags('drones')
@ApiBearerAuth('accessToken')
@UseGuards(UserAuthGuard)
@AdminOnly()
@Controller('api/v1/drones')
export class DroneAdminHttpController {
  constructor(private readonly identity: IdentityService) {}

  @Post()
  @ApiOperation({ summary: 'Register a drone (tenant admin); the device key is shown only here' })
  async register(@Req() req: UserRequest, @Body() dto: CreateDroneDto) {
    const { drone, deviceKey } = await this.identity.registerDrone(req.user!.tenantId, dto);
    return {
      id: drone.id,
      name: drone.name,
      serialNumber: drone.serialNumber,
      model: drone.model,
      createdAt: new Date(drone.createdAt).toISOString(),
      deviceKey,
    };
  }

  @Post(':id/keys')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Rotate the device key (tenant admin); the previous key stops working at once' })
  @ApiResponse({ status: 404, description: 'No such drone in this tenant' })
  async rotate(@Req() req: UserRequest, @Param('id', ParseIdPipe) id: string): Promise<{ deviceKey: string }> {
    return { deviceKey: await this.identity.rotateKey(req.user!.tenantId, id) };
  }

  @Delete(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a drone (tenant admin); its key stops working, its history stays readable' })
  async remove(@Req() req: UserRequest, @Param('id', ParseIdPipe) id: string): Promise<void> {
    await this.identity.deleteDrone(req.user!.tenantId, id);
  }
}
