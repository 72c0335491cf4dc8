import { Body, Controller, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AdminTokenGuard } from './admin-token.guard.js';
import { ParseIdPipe } from './id.pipe.js';
import { CreateTenantDto, CreateUserDto } from './identity.dto.js';
import { IdentityService, toUserView, type UserView } from './identity.service.js';

@ApiTags('platform operator')
@ApiBearerAuth('adminToken')
@UseGuards(AdminTokenGuard)
@Controller('api/v1/tenants')
export class TenantsHttpController {
  constructor(private readonly identity: IdentityService) {}

  @Post()
  @ApiOperation({ summary: 'Create a tenant (ADMIN_TOKEN)' })
  async create(@Body() dto: CreateTenantDto): Promise<{ id: string; name: string; createdAt: string }> {
    const t = await this.identity.createTenant(dto.name);
    return { id: t.id, name: t.name, createdAt: new Date(t.createdAt).toISOString() };
  }

  @Post(':tenantId/users')
  @ApiParam({ name: 'tenantId', format: 'uuid' })
  @ApiOperation({ summary: 'Create a user in a tenant (ADMIN_TOKEN); emails are unique platform-wide' })
  @ApiResponse({ status: 409, description: 'Email taken' })
  @ApiResponse({ status: 404, description: 'No such tenant' })
  async createUser(@Param('tenantId', ParseIdPipe) tenantId: string, @Body() dto: CreateUserDto): Promise<UserView> {
    return toUserView(await this.identity.createUser(tenantId, dto.email, dto.password, dto.role));
  }
}
