import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly, type UserRequest } from './auth-user.js';
import { ParseIdPipe } from './id.pipe.js';
import { CreateUserDto, UpdateUserRoleDto } from './identity.dto.js';
import { IdentityService, toUserView, type UserView } from './identity.service.js';
import { UserAdminService } from './user-admin.service.js';
import { UserAuthGuard } from './user-auth.guard.js';
import { MeResponse, UserListResponse, UserResponse } from './users.openapi.js';

/** Who am I (any user), and the tenant's user management (tenant admins). */
@ApiTags('web users')
@ApiBearerAuth('accessToken')
@UseGuards(UserAuthGuard)
@Controller('api/v1')
export class UsersHttpController {
  constructor(
    private readonly identity: IdentityService,
    private readonly users: UserAdminService,
  ) {}

  @Get('me')
  @ApiOperation({ summary: 'The calling user and their tenant' })
  @ApiOkResponse({ type: MeResponse })
  async me(@Req() req: UserRequest): Promise<UserView & { tenantName: string }> {
    const u = req.user!;
    const tenant = await this.identity.findTenant(u.tenantId);
    return { id: u.id, email: u.email, role: u.role, tenantId: u.tenantId, tenantName: tenant.name };
  }

  @Get('users')
  @AdminOnly()
  @ApiOperation({ summary: "List the tenant's users (tenant admin)" })
  @ApiOkResponse({ type: UserListResponse })
  async list(@Req() req: UserRequest): Promise<{ items: UserView[] }> {
    return { items: (await this.identity.listUsers(req.user!.tenantId)).map(toUserView) };
  }

  @Post('users')
  @AdminOnly()
  @ApiOperation({ summary: 'Add a user to the tenant (tenant admin)' })
  @ApiResponse({ status: 201, type: UserResponse })
  @ApiResponse({ status: 409, description: 'The email is not available (the answer does not say where it is used)' })
  async create(@Req() req: UserRequest, @Body() dto: CreateUserDto): Promise<UserView> {
    return toUserView(await this.identity.createUser(req.user!.tenantId, dto.email, dto.password, dto.role));
  }

  @Patch('users/:id')
  @AdminOnly()
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: "Change a user's role (tenant admin); their tokens and streams lose the old rights within 5 s" })
  @ApiOkResponse({ type: UserResponse })
  @ApiResponse({ status: 404, description: 'No such user in this tenant' })
  @ApiResponse({ status: 409, description: "The tenant's last admin cannot be demoted" })
  async changeRole(@Req() req: UserRequest, @Param('id', ParseIdPipe) id: string, @Body() dto: UpdateUserRoleDto): Promise<UserView> {
    return toUserView(await this.users.changeRole(req.user!.tenantId, id, dto.role));
  }

  @Delete('users/:id')
  @AdminOnly()
  @HttpCode(204)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Remove a user (tenant admin); their tokens and streams stop within 5 s' })
  @ApiResponse({ status: 204, description: 'Removed' })
  @ApiResponse({ status: 404, description: 'No such user in this tenant' })
  @ApiResponse({ status: 409, description: "The tenant's last admin cannot be deleted" })
  async remove(@Req() req: UserRequest, @Param('id', ParseIdPipe) id: string): Promise<void> {
    await this.users.deleteUser(req.user!.tenantId, id);
  }
}
