import { Body, Controller, Get, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly, type UserRequest } from './auth-user.js';
import { CreateUserDto } from './identity.dto.js';
import { IdentityService, toUserView, type UserView } from './identity.service.js';
import { UserAuthGuard } from './user-auth.guard.js';

/** Tenant self-service for the web app (beyond the public contract): who am I, and user management. */
@ApiTags('web users')
@ApiBearerAuth('accessToken')
@UseGuards(UserAuthGuard)
@Controller('api/v1')
export class UsersHttpController {
  constructor(private readonly identity: IdentityService) {}

  @Get('me')
  @ApiOperation({ summary: 'The calling user and their tenant' })
  async me(@Req() req: UserRequest): Promise<UserView & { tenantName: string }> {
    const u = req.user!;
    const tenant = await this.identity.findTenant(u.tenantId);
    return { id: u.id, email: u.email, role: u.role, tenantId: u.tenantId, tenantName: tenant.name };
  }

  @Get('users')
  @AdminOnly()
  @ApiOperation({ summary: "List the tenant's users (tenant admin)" })
  async list(@Req() req: UserRequest): Promise<{ items: UserView[] }> {
    return { items: (await this.identity.listUsers(req.user!.tenantId)).map(toUserView) };
  }

  @Post('users')
  @AdminOnly()
  @ApiOperation({ summary: 'Add a user to the tenant (tenant admin)' })
  async create(@Req() req: UserRequest, @Body() dto: CreateUserDto): Promise<UserView> {
    return toUserView(await this.identity.createUser(req.user!.tenantId, dto.email, dto.password, dto.role));
  }
}
