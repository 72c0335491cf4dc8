import { ConflictError, type DeviceKeyOwner, type Drone, type Tenant, type User, type UserRole } from '../../core/index.js';
import type { DronePage, IdentityRepository } from '../identity.repository.port.js';
import type { SqliteDatabase } from '../../sqlite/index.js';
import { emailKey } from './email.js';
import { IDENTITY_MIGRATIONS } from './sqlite.identity.schema.js';
import { prepareIdentityStatements, toDrone, toUser, type DroneRow, type UserRow } from './sqlite.identity.statements.js';

/**
 * Tenants, users, drones and device keys in the embedded SQLite database. Each write is one
 * synchronous transaction, so the checks and the write cannot interleave with another call, and
 * resolves only once fsynced (commits do not fsync; an answered sign-up or key must survive a power loss).
 * A new port method is one prepared statement here plus, for a new column, a migration.
 */
export class SqliteIdentityRepository implements IdentityRepository {
  private readonly sql: ReturnType<typeof prepareIdentityStatements>;
  private closed = false;

  constructor(private readonly db: SqliteDatabase) {
    db.migrate('identity', IDENTITY_MIGRATIONS);
    db.retain();
    this.sql = prepareIdentityStatements(db);
  }

  async createTenant(tenant: Tenant): Promise<void> {
    this.db.transaction(() => {
      if (this.sql.tenantById.get(tenant.id)) throw new ConflictError('tenant already exists');
      this.sql.insertTenant.run(tenant.id, tenant.name, tenant.createdAt);
    });
    await this.db.syncToDisk();
  }

  async findTenant(tenantId: string): Promise<Tenant | null> {
    const row = this.db.run(() => this.sql.tenantById.get(tenantId)) as { id: string; name: string; created_at: number } | undefined;
    return row ? { id: row.id, name: row.name, createdAt: row.created_at } : null;
  }

  async createUser(user: User): Promise<void> {
    this.db.transaction(() => {
      if (this.sql.userByEmail.get(emailKey(user.email))) throw new ConflictError('a user with this email already exists');
      if (this.sql.userById.get(user.id)) throw new ConflictError('user already exists');
      this.sql.insertUser.run(
        user.id,
        user.tenantId,
        user.email,
        emailKey(user.email),
        user.role,
        user.passwordHash,
        user.createdAt,
        user.tokenVersion ?? null,
      );
    });
    await this.db.syncToDisk();
  }

  async findUserByEmail(email: string): Promise<User | null> {
    const row = this.db.run(() => this.sql.userByEmail.get(emailKey(email))) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  async listUsers(tenantId: string): Promise<User[]> {
    return (this.db.run(() => this.sql.usersOfTenant.all(tenantId)) as UserRow[]).map(toUser);
  }

  async findUserById(tenantId: string, userId: string): Promise<User | null> {
    const row = this.db.run(() => this.sql.userOfTenant.get(userId, tenantId)) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  /** Role and token version change in one statement: no token of the old role survives it. */
  async updateUserRole(tenantId: string, userId: string, role: UserRole): Promise<User | null> {
    const row = this.db.transaction(() => {
      if (this.sql.setRole.run(role, userId, tenantId).changes === 0) return undefined;
      return this.sql.userOfTenant.get(userId, tenantId) as UserRow;
    });
    if (!row) return null;
    await this.db.syncToDisk();
    return toUser(row);
  }

  async deleteUser(tenantId: string, userId: string): Promise<boolean> {
    const deleted = this.db.transaction(() => this.sql.deleteUser.run(userId, tenantId).changes > 0);
    if (deleted) await this.db.syncToDisk();
    return deleted;
  }

  async countAdmins(tenantId: string): Promise<number> {
    return (this.db.run(() => this.sql.adminCount.get(tenantId)) as { n: number }).n;
  }

  async createDrone(drone: Drone, keyDigest: string): Promise<void> {
    this.db.transaction(() => {
      if (this.sql.droneById.get(drone.id)) throw new ConflictError('drone already exists');
      if (this.sql.droneByKey.get(keyDigest)) throw new ConflictError('device key already in use');
      const key = drone.deletedAt === null ? keyDigest : null;
      this.sql.insertDrone.run(
        drone.id,
        drone.tenantId,
        drone.name,
        drone.serialNumber,
        drone.model,
        drone.createdAt,
        drone.deletedAt,
        key,
      );
    });
    await this.db.syncToDisk();
  }

  async findDrone(tenantId: string, droneId: string, options: { includeDeleted?: boolean } = {}): Promise<Drone | null> {
    const row = this.owned(tenantId, droneId);
    if (!row || (row.deleted_at !== null && !options.includeDeleted)) return null;
    return toDrone(row);
  }

  async listDrones(tenantId: string, limit: number, after?: { createdAt: number; id: string }): Promise<DronePage> {
    if (limit < 1) return { items: [], next: null };
    // One row more than asked says whether there is a next page.
    const rows = this.db.run(() =>
      after
        ? this.sql.liveDronesAfter.all(tenantId, after.createdAt, after.createdAt, after.id, limit + 1)
        : this.sql.liveDrones.all(tenantId, limit + 1),
    ) as DroneRow[];
    const items = rows.slice(0, limit).map(toDrone);
    const last = items[items.length - 1];
    return { items, next: rows.length > limit ? { createdAt: last.createdAt, id: last.id } : null };
  }

  async droneNames(tenantId: string, droneIds: string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    if (droneIds.length === 0) return names;
    this.db.run(() => {
      for (const id of droneIds) {
        const row = this.sql.liveDroneName.get(id, tenantId) as { name: string } | undefined;
        if (row) names.set(id, row.name);
      }
    });
    return names;
  }

  async replaceDeviceKey(tenantId: string, droneId: string, newDigest: string): Promise<string | null> {
    const old = this.db.transaction(() => {
      const row = this.owned(tenantId, droneId);
      if (!row || row.deleted_at !== null) return null;
      if (row.key_digest === newDigest) return row.key_digest;
      const holder = this.sql.droneByKey.get(newDigest) as { id: string } | undefined;
      if (holder && holder.id !== droneId) throw new ConflictError('device key already in use');
      this.sql.setKey.run(newDigest, droneId);
      return row.key_digest;
    });
    await this.db.syncToDisk();
    return old;
  }

  async deleteDrone(tenantId: string, droneId: string, deletedAt: number): Promise<string | null> {
    const old = this.db.transaction(() => {
      const row = this.owned(tenantId, droneId);
      if (!row || row.deleted_at !== null) return null;
      this.sql.softDelete.run(deletedAt, droneId);
      return row.key_digest;
    });
    await this.db.syncToDisk();
    return old;
  }

  async findDeviceKey(digest: string): Promise<DeviceKeyOwner | null> {
    const row = this.db.run(() => this.sql.droneByKey.get(digest)) as { id: string; tenant_id: string } | undefined;
    return row ? { tenantId: row.tenant_id, droneId: row.id } : null;
  }

  async ping(): Promise<void> {
    this.db.run(() => this.sql.ping.get());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.release();
  }

  private owned(tenantId: string, droneId: string): DroneRow | undefined {
    const row = this.db.run(() => this.sql.droneById.get(droneId)) as DroneRow | undefined;
    return row && row.tenant_id === tenantId ? row : undefined;
  }
}
