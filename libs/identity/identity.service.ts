import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { LIVE_MAP_CACHE, type LiveMapCache } from '../cache/index.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import {
  ConflictError,
  newId,
  NotFoundError,
  type Drone,
  type Tenant,
  type User,
  type UserRole,
  UnauthenticatedError,
} from '../core/index.js';
import { ROLE_EVENTS, type RoleEvents } from '../events/index.js';
import type { DroneInvalidated } from './identity.events.js';
import { IDENTITY_REPOSITORY, type IdentityRepository } from '../store/index.js';
import { generateDeviceKey, deviceKeyDigest } from './device-keys.js';
import { PasswordHasher } from './password-hasher.js';

export interface UserView {
  id: string;
  email: string;
  role: UserRole;
  tenantId: string;
}

export const toUserView = (u: User): UserView => ({ id: u.id, email: u.email, role: u.role, tenantId: u.tenantId });
export const droneCacheKey = (tenantId: string, droneId: string) => `drone:${tenantId}:${droneId}`;

/** Tenants kept in memory per process (a few hundred bytes each). */
const MAX_CACHED_TENANTS = 10_000;

/** Tenants, users, login and the drone lifecycle (registration, key rotation, deletion). */
@Injectable()
export class IdentityService {
  private readonly tenants = new Map<string, Tenant>();

  constructor(
    @Inject(IDENTITY_REPOSITORY) private readonly identity: IdentityRepository,
    @Inject(LIVE_MAP_CACHE) private readonly cache: LiveMapCache,
    @Inject(ROLE_EVENTS) private readonly events: RoleEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly passwords: PasswordHasher,
  ) {}

  async createTenant(name: string): Promise<Tenant> {
    const tenant: Tenant = { id: newId(), name, createdAt: Date.now() };
    await this.identity.createTenant(tenant);
    return tenant;
  }

  /**
   * Tenants never change once created (the contract has no update or delete), so a found one is
   * kept: `GET /me` names the tenant on every call, and the store read was its largest cost (profiled).
   */
  async findTenant(tenantId: string): Promise<Tenant> {
    const known = this.tenants.get(tenantId);
    if (known) return known;
    const tenant = await this.identity.findTenant(tenantId);
    if (!tenant) throw new NotFoundError('tenant');
    if (this.tenants.size >= MAX_CACHED_TENANTS) this.tenants.clear();
    this.tenants.set(tenantId, tenant);
    return tenant;
  }

  async createUser(tenantId: string, email: string, password: string, role: UserRole): Promise<User> {
    await this.findTenant(tenantId);
    const user: User = {
      id: newId(),
      tenantId,
      email: email.trim().toLowerCase(),
      role,
      passwordHash: await this.passwords.hash(password),
      createdAt: Date.now(),
      tokenVersion: 0,
    };
    await this.identity.createUser(user).catch((err: unknown) => {
      // Emails are unique on the platform; the answer must not tell in which tenant one is used.
      throw err instanceof ConflictError ? new ConflictError('email is not available; choose another one') : err;
    });
    return user;
  }

  listUsers(tenantId: string): Promise<User[]> {
    return this.identity.listUsers(tenantId);
  }

  async login(email: string, password: string): Promise<{ accessToken: string; tokenType: 'Bearer'; expiresIn: number }> {
    const user = await this.identity.findUserByEmail(email.trim().toLowerCase());
    if (!user) {
      await this.passwords.burnCheck(password);
      throw new UnauthenticatedError('email or password is wrong');
    }
    if (!(await this.passwords.verify(user.passwordHash, password))) throw new UnauthenticatedError('email or password is wrong');
    const accessToken = await this.jwt.signAsync(
      // ver: the user's token version; a role change or deletion makes older tokens stop working.
      { sub: user.id, tid: user.tenantId, role: user.role, email: user.email, ver: user.tokenVersion ?? 0 },
      { expiresIn: this.config.jwtExpiresInSeconds, algorithm: 'HS256' },
    );
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.jwtExpiresInSeconds };
  }

  async registerDrone(
    tenantId: string,
    input: { name: string; serialNumber?: string; model?: string },
  ): Promise<{ drone: Drone; deviceKey: string }> {
    const drone: Drone = {
      id: newId(),
      tenantId,
      name: input.name,
      serialNumber: input.serialNumber ?? null,
      model: input.model ?? null,
      createdAt: Date.now(),
      deletedAt: null,
    };
    const deviceKey = generateDeviceKey();
    await this.identity.createDrone(drone, deviceKeyDigest(deviceKey));
    return { drone, deviceKey };
  }

  /** Issues a new key; the old one stops working at once in every process. */
  async rotateKey(tenantId: string, droneId: string): Promise<string> {
    const deviceKey = generateDeviceKey();
    const old = await this.identity.replaceDeviceKey(tenantId, droneId, deviceKeyDigest(deviceKey));
    if (old === null) throw new NotFoundError('drone');
    await this.events.publish<DroneInvalidated>({ type: 'drone.invalidated', tenantId, droneId, revokedKeyDigest: old });
    return deviceKey;
  }

  /** The drone leaves lists and the map and its key stops working; its history stays. */
  async deleteDrone(tenantId: string, droneId: string): Promise<void> {
    const old = await this.identity.deleteDrone(tenantId, droneId, Date.now());
    if (old === null) throw new NotFoundError('drone');
    await this.cache.removeDrone(tenantId, droneId);
    await this.cache.delete([droneCacheKey(tenantId, droneId)]);
    await this.events.publish<DroneInvalidated>({ type: 'drone.invalidated', tenantId, droneId, revokedKeyDigest: old, deleted: true });
  }
}
