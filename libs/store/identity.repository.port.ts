import type { DeviceKeyOwner, Drone, Tenant, User, UserRole } from '../core/index.js';

export const IDENTITY_REPOSITORY = Symbol('IdentityRepository');

export interface DronePage {
  items: Drone[];
  /** Opaque to callers; pass back as `after` for the next page. Null on the last page. */
  next: { createdAt: number; id: string } | null;
}

/**
 * Tenants, users, drones and device keys. Every drone/user read takes the tenant id,
 * so a foreign id reads as "not found".
 */
export interface IdentityRepository {
  createTenant(tenant: Tenant): Promise<void>;
  findTenant(tenantId: string): Promise<Tenant | null>;

  /** Throws ConflictError when the email (case-insensitive) is taken on the platform. */
  createUser(user: User): Promise<void>;
  findUserByEmail(email: string): Promise<User | null>;
  listUsers(tenantId: string): Promise<User[]>;
  /** The user, only within its tenant (a foreign or deleted id reads as null). */
  findUserById(tenantId: string, userId: string): Promise<User | null>;
  /**
   * Sets the role and increments tokenVersion (absent counts as 0) in one atomic write; returns
   * the updated user, or null when the user is not in the tenant.
   */
  updateUserRole(tenantId: string, userId: string, role: UserRole): Promise<User | null>;
  /** Removes the user for good (the email becomes free again); false when not in the tenant. */
  deleteUser(tenantId: string, userId: string): Promise<boolean>;
  /** How many users of the tenant have the admin role. */
  countAdmins(tenantId: string): Promise<number>;

  /** Creates the drone and its first device key digest together. */
  createDrone(drone: Drone, keyDigest: string): Promise<void>;
  findDrone(tenantId: string, droneId: string, options?: { includeDeleted?: boolean }): Promise<Drone | null>;
  /** Live drones of the tenant in (createdAt, id) order, after the given position. */
  listDrones(tenantId: string, limit: number, after?: { createdAt: number; id: string }): Promise<DronePage>;
  /** Names of the live (not deleted) drones among the ids, for the map; deleted and foreign ids are absent. */
  droneNames(tenantId: string, droneIds: string[]): Promise<Map<string, string>>;
  /** Replaces the drone's device key; returns the old digest, or null when the drone is not live. */
  replaceDeviceKey(tenantId: string, droneId: string, newDigest: string): Promise<string | null>;
  /** Soft-deletes the drone and removes its key; returns the removed digest, or null when not live. */
  deleteDrone(tenantId: string, droneId: string, deletedAt: number): Promise<string | null>;
  /** O(1) lookup of the drone a key digest belongs to. */
  findDeviceKey(digest: string): Promise<DeviceKeyOwner | null>;

  ping(): Promise<void>;
  close(): Promise<void>;
}
