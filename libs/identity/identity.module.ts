import { Module } from '@nestjs/common';
import { AdminTokenGuard } from './admin-token.guard.js';
import { AuthHttpController } from './auth.http.controller.js';
import { DroneAdminHttpController } from './drone-admin.http.controller.js';
import { IdentityService } from './identity.service.js';
import { PasswordHasher } from './password-hasher.js';
import { UserAdminService } from './user-admin.service.js';
import { UserSessions } from './user-sessions.js';
import { TenantsHttpController } from './tenants.http.controller.js';
import { UserAuthGuard } from './user-auth.guard.js';
import { UsersHttpController } from './users.http.controller.js';

/** Tenants, users, login and the drone lifecycle (web role). */
@Module({
  controllers: [TenantsHttpController, AuthHttpController, DroneAdminHttpController, UsersHttpController],
  providers: [IdentityService, UserAdminService, UserSessions, PasswordHasher, AdminTokenGuard, UserAuthGuard],
  exports: [IdentityService, UserAuthGuard, UserSessions],
})
export class IdentityModule {}
