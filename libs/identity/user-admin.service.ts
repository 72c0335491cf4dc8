import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, type User, type UserRole } from '../core/index.js';
import { ROLE_EVENTS, type RoleEvents } from '../events/index.js';
import type { UserInvalidated } from './identity.events.js';
import { IDENTITY_REPOSITORY, type IdentityRepository } from '../store/index.js';
import { UserSessions } from './user-sessions.js';

/**
 * Tenant admins manage their users: role changes and deletions revoke the user's tokens and
 * close their streams in every replica (token version + `user.invalidated` role event).
 */
@Injectable()
export class UserAdminService {
  constructor(
    @Inject(IDENTITY_REPOSITORY) private readonly identity: IdentityRepository,
    @Inject(ROLE_EVENTS) private readonly events: RoleEvents,
    private readonly sessions: UserSessions,
  ) {}

  async changeRole(tenantId: string, userId: string, role: UserRole): Promise<User> {
    const user = await this.identity.findUserById(tenantId, userId);
    if (!user) throw new NotFoundError('user');
    if (user.role === role) return user;
    if (user.role === 'admin') await this.keepOneAdmin(tenantId, 'demote');
    const updated = await this.identity.updateUserRole(tenantId, userId, role);
    if (!updated) throw new NotFoundError('user');
    await this.invalidate(tenantId, userId);
    return updated;
  }

  async deleteUser(tenantId: string, userId: string): Promise<void> {
    const user = await this.identity.findUserById(tenantId, userId);
    if (!user) throw new NotFoundError('user');
    if (user.role === 'admin') await this.keepOneAdmin(tenantId, 'delete');
    if (!(await this.identity.deleteUser(tenantId, userId))) throw new NotFoundError('user');
    await this.invalidate(tenantId, userId);
  }

  /** The tenant would be left without anyone able to manage it. (Check-then-write: two concurrent demotions can still race.) */
  private async keepOneAdmin(tenantId: string, action: 'delete' | 'demote'): Promise<void> {
    if ((await this.identity.countAdmins(tenantId)) <= 1) {
      throw new ConflictError(`cannot ${action} the tenant's last admin; make another user admin first`);
    }
  }

  private async invalidate(tenantId: string, userId: string): Promise<void> {
    this.sessions.forget(userId);
    // Other replicas drop their cached copy and this user's streams; a lost event is covered by the cache TTL.
    await this.events.publish<UserInvalidated>({ type: 'user.invalidated', tenantId, userId }).catch(() => undefined);
  }
}
