import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { User } from '../core/index.js';
import { ROLE_EVENTS, type RoleEvents } from '../events/index.js';
import { isUserInvalidated } from './identity.events.js';
import { IDENTITY_REPOSITORY, type IdentityRepository } from '../store/index.js';

/** Longest a cached user record is trusted; role changes and deletions are also pushed at once. */
export const USER_CACHE_TTL_MS = 2_000;
const MAX_ENTRIES = 50_000;

interface Entry {
  user: User | null;
  at: number;
}

/**
 * The current user records behind access tokens. A token is not trusted on its claims alone:
 * the guard compares them with the record, read through this short cache, so a deleted user or a
 * changed role stops a token within USER_CACHE_TTL_MS even if an invalidation event was lost,
 * and at once when the `user.invalidated` role event reaches this replica.
 */
@Injectable()
export class UserSessions implements OnModuleInit, OnModuleDestroy {
  private readonly cache = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<User | null>>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    @Inject(IDENTITY_REPOSITORY) private readonly identity: IdentityRepository,
    @Inject(ROLE_EVENTS) private readonly events: RoleEvents,
  ) {}

  async onModuleInit(): Promise<void> {
    this.unsubscribe = await this.events.subscribe((e) => {
      if (isUserInvalidated(e)) this.forget(e.userId);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** The user's record (null when deleted or not in that tenant). */
  async current(tenantId: string, userId: string): Promise<User | null> {
    const hit = this.cache.get(userId);
    if (hit && Date.now() - hit.at < USER_CACHE_TTL_MS) return hit.user && hit.user.tenantId === tenantId ? hit.user : null;
    // Concurrent requests of one user share one read.
    let read = this.inFlight.get(userId);
    if (!read) {
      read = this.identity.findUserById(tenantId, userId).finally(() => this.inFlight.delete(userId));
      this.inFlight.set(userId, read);
      const startedAt = Date.now();
      void read.then(
        (user) => {
          if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
          this.cache.set(userId, { user, at: startedAt });
        },
        () => undefined,
      );
    }
    const user = await read;
    return user && user.tenantId === tenantId ? user : null;
  }

  forget(userId: string): void {
    this.cache.delete(userId);
    this.inFlight.delete(userId);
  }
}
