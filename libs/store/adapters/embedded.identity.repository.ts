import { join } from 'node:path';
import { ConflictError, type DeviceKeyOwner, type Drone, type Tenant, type User, type UserRole } from '../../core/index.js';
import type { DronePage, IdentityRepository } from '../identity.repository.port.js';
import { LogWriter, openLog } from './embedded-log.js';
import { emailKey } from './email.js';
import { compareStrings, lowerBound, upperBound } from './sorted.js';
import { consoleStoreLogger, type StoreLogger } from './store-logger.js';

/** One line of identity.log. Writes and replay go through the same `apply`, so they cannot disagree. */
type IdentityRecord =
  | { t: 'tenant'; v: Tenant }
  | { t: 'user'; v: User }
  | { t: 'user-role'; id: string; role: UserRole; tokenVersion: number }
  | { t: 'user-del'; id: string }
  | { t: 'drone'; v: Drone; key: string | null }
  | { t: 'key'; id: string; key: string }
  | { t: 'del'; id: string; at: number };

interface DroneEntry {
  drone: Drone;
  key: string | null;
}

export interface EmbeddedStoreOptions {
  logger?: StoreLogger;
  /** Compact at open when the log holds more than twice the live records plus this many. */
  compactSlack?: number;
}

type Position = { createdAt: number; id: string };
const byPosition = (d: Drone, p: Position) => d.createdAt - p.createdAt || compareStrings(d.id, p.id);

/** Identity data in memory, made durable by an fdatasync'ed append-only log in the data directory. */
export class EmbeddedIdentityRepository implements IdentityRepository {
  private readonly tenants = new Map<string, Tenant>();
  private readonly users = new Map<string, User>();
  private readonly usersByEmail = new Map<string, User>();
  private readonly usersByTenant = new Map<string, User[]>();
  private readonly drones = new Map<string, DroneEntry>();
  private readonly keys = new Map<string, DeviceKeyOwner>();
  /** Live drones per tenant, sorted by (createdAt, id) for cursor pages. */
  private readonly liveByTenant = new Map<string, Drone[]>();
  private writer: LogWriter<IdentityRecord>;

  private constructor() {}

  static async open(dataDir: string, options: EmbeddedStoreOptions = {}): Promise<EmbeddedIdentityRepository> {
    const repo = new EmbeddedIdentityRepository();
    const { log, records, tornTail } = openLog<IdentityRecord>(join(dataDir, 'identity.log'));
    for (const r of records) repo.apply(r);
    repo.writer = new LogWriter(log, options.logger ?? consoleStoreLogger, 'identity');
    const live = repo.tenants.size + repo.users.size + repo.drones.size;
    if (tornTail || records.length > 2 * live + (options.compactSlack ?? 1000)) repo.writer.rewrite(repo.snapshot());
    return repo;
  }

  async createTenant(tenant: Tenant): Promise<void> {
    this.writer.check();
    if (this.tenants.has(tenant.id)) throw new ConflictError('tenant already exists');
    await this.write({ t: 'tenant', v: { ...tenant } });
  }

  async findTenant(tenantId: string): Promise<Tenant | null> {
    this.writer.check();
    const t = this.tenants.get(tenantId);
    return t ? { ...t } : null;
  }

  async createUser(user: User): Promise<void> {
    this.writer.check();
    if (this.usersByEmail.has(emailKey(user.email))) throw new ConflictError('a user with this email already exists');
    if (this.users.has(user.id)) throw new ConflictError('user already exists');
    await this.write({ t: 'user', v: { ...user } });
  }

  async findUserByEmail(email: string): Promise<User | null> {
    this.writer.check();
    const u = this.usersByEmail.get(emailKey(email));
    return u ? { ...u } : null;
  }

  async listUsers(tenantId: string): Promise<User[]> {
    this.writer.check();
    const users = (this.usersByTenant.get(tenantId) ?? []).map((u) => ({ ...u }));
    return users.sort((a, b) => a.createdAt - b.createdAt || compareStrings(a.id, b.id));
  }

  async findUserById(tenantId: string, userId: string): Promise<User | null> {
    this.writer.check();
    const u = this.users.get(userId);
    return u && u.tenantId === tenantId ? { ...u } : null;
  }

  async updateUserRole(tenantId: string, userId: string, role: UserRole): Promise<User | null> {
    this.writer.check();
    const u = this.users.get(userId);
    if (!u || u.tenantId !== tenantId) return null;
    await this.write({ t: 'user-role', id: userId, role, tokenVersion: (u.tokenVersion ?? 0) + 1 });
    return { ...this.users.get(userId)! };
  }

  async deleteUser(tenantId: string, userId: string): Promise<boolean> {
    this.writer.check();
    const u = this.users.get(userId);
    if (!u || u.tenantId !== tenantId) return false;
    await this.write({ t: 'user-del', id: userId });
    return true;
  }

  async countAdmins(tenantId: string): Promise<number> {
    this.writer.check();
    return (this.usersByTenant.get(tenantId) ?? []).filter((u) => u.role === 'admin').length;
  }

  async createDrone(drone: Drone, keyDigest: string): Promise<void> {
    this.writer.check();
    if (this.drones.has(drone.id)) throw new ConflictError('drone already exists');
    if (this.keys.has(keyDigest)) throw new ConflictError('device key already in use');
    await this.write({ t: 'drone', v: { ...drone }, key: drone.deletedAt === null ? keyDigest : null });
  }

  async findDrone(tenantId: string, droneId: string, options: { includeDeleted?: boolean } = {}): Promise<Drone | null> {
    this.writer.check();
    const entry = this.owned(tenantId, droneId);
    if (!entry || (entry.drone.deletedAt !== null && !options.includeDeleted)) return null;
    return { ...entry.drone };
  }

  async listDrones(tenantId: string, limit: number, after?: Position): Promise<DronePage> {
    this.writer.check();
    const live = this.liveByTenant.get(tenantId) ?? [];
    if (limit < 1) return { items: [], next: null };
    const start = after ? upperBound(live, after, byPosition) : 0;
    const items = live.slice(start, start + limit).map((d) => ({ ...d }));
    const last = items[items.length - 1];
    const next = start + limit < live.length ? { createdAt: last.createdAt, id: last.id } : null;
    return { items, next };
  }

  async droneNames(tenantId: string, droneIds: string[]): Promise<Map<string, string>> {
    this.writer.check();
    const names = new Map<string, string>();
    for (const id of droneIds) {
      const entry = this.owned(tenantId, id);
      if (entry && entry.drone.deletedAt === null) names.set(id, entry.drone.name);
    }
    return names;
  }

  async replaceDeviceKey(tenantId: string, droneId: string, newDigest: string): Promise<string | null> {
    this.writer.check();
    const entry = this.owned(tenantId, droneId);
    if (!entry || entry.drone.deletedAt !== null) return null;
    const old = entry.key;
    const holder = this.keys.get(newDigest);
    if (holder && holder.droneId !== droneId) throw new ConflictError('device key already in use');
    if (old === newDigest) {
      await this.writer.commit([]);
      return old;
    }
    await this.write({ t: 'key', id: droneId, key: newDigest });
    return old;
  }

  async deleteDrone(tenantId: string, droneId: string, deletedAt: number): Promise<string | null> {
    this.writer.check();
    const entry = this.owned(tenantId, droneId);
    if (!entry || entry.drone.deletedAt !== null) return null;
    const old = entry.key;
    await this.write({ t: 'del', id: droneId, at: deletedAt });
    return old;
  }

  async findDeviceKey(digest: string): Promise<DeviceKeyOwner | null> {
    this.writer.check();
    const owner = this.keys.get(digest);
    return owner ? { ...owner } : null;
  }

  async ping(): Promise<void> {
    this.writer.check();
  }

  async close(): Promise<void> {
    this.writer?.close();
  }

  /** Applies in memory first (so concurrent calls see it at once), then waits for the disk. */
  private async write(record: IdentityRecord): Promise<void> {
    this.apply(record);
    await this.writer.commit([record]);
  }

  private owned(tenantId: string, droneId: string): DroneEntry | undefined {
    const entry = this.drones.get(droneId);
    return entry && entry.drone.tenantId === tenantId ? entry : undefined;
  }

  private apply(r: IdentityRecord): void {
    switch (r.t) {
      case 'tenant':
        this.tenants.set(r.v.id, r.v);
        return;
      case 'user': {
        this.users.set(r.v.id, r.v);
        this.usersByEmail.set(emailKey(r.v.email), r.v);
        const list = this.usersByTenant.get(r.v.tenantId) ?? [];
        list.push(r.v);
        this.usersByTenant.set(r.v.tenantId, list);
        return;
      }
      case 'user-role': {
        const u = this.users.get(r.id);
        if (u) this.replaceUser(u, { ...u, role: r.role, tokenVersion: r.tokenVersion });
        return;
      }
      case 'user-del': {
        const u = this.users.get(r.id);
        if (u) this.replaceUser(u, null);
        return;
      }
      case 'drone': {
        this.drones.set(r.v.id, { drone: r.v, key: r.key });
        if (r.key !== null) this.keys.set(r.key, { tenantId: r.v.tenantId, droneId: r.v.id });
        if (r.v.deletedAt === null) {
          const live = this.liveByTenant.get(r.v.tenantId) ?? [];
          live.splice(lowerBound(live, r.v, byPosition), 0, r.v);
          this.liveByTenant.set(r.v.tenantId, live);
        }
        return;
      }
      case 'key': {
        const entry = this.drones.get(r.id);
        if (!entry) return;
        if (entry.key !== null) this.keys.delete(entry.key);
        entry.key = r.key;
        this.keys.set(r.key, { tenantId: entry.drone.tenantId, droneId: r.id });
        return;
      }
      case 'del': {
        const entry = this.drones.get(r.id);
        if (!entry || entry.drone.deletedAt !== null) return;
        if (entry.key !== null) this.keys.delete(entry.key);
        const live = this.liveByTenant.get(entry.drone.tenantId) ?? [];
        const at = lowerBound(live, entry.drone, byPosition);
        if (live[at]?.id === r.id) live.splice(at, 1);
        entry.key = null;
        entry.drone = { ...entry.drone, deletedAt: r.at };
        return;
      }
    }
  }

  /** Swaps a user record in every index (null removes it). */
  private replaceUser(old: User, next: User | null): void {
    const list = (this.usersByTenant.get(old.tenantId) ?? []).filter((u) => u.id !== old.id);
    if (next) {
      this.users.set(next.id, next);
      this.usersByEmail.set(emailKey(next.email), next);
      list.push(next);
    } else {
      this.users.delete(old.id);
      this.usersByEmail.delete(emailKey(old.email));
    }
    if (list.length > 0) this.usersByTenant.set(old.tenantId, list);
    else this.usersByTenant.delete(old.tenantId);
  }

  private snapshot(): IdentityRecord[] {
    return [
      ...[...this.tenants.values()].map((v): IdentityRecord => ({ t: 'tenant', v })),
      ...[...this.users.values()].map((v): IdentityRecord => ({ t: 'user', v })),
      ...[...this.drones.values()].map(({ drone, key }): IdentityRecord => ({ t: 'drone', v: drone, key })),
    ];
  }
}
