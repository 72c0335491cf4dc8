/**
 * Identity on MongoDB (official driver). Relies only on: single-document atomic updates, unique
 * indexes (users.emailLower) and the unique `_id`; no transactions, aggregation, TTL or partial
 * indexes, so it runs on FerretDB 1.24 (SQLite) as on MongoDB. Device keys live in their own
 * collection keyed by digest; multi-document changes are ordered so a crash never leaves a
 * working key for a deleted drone that a retry would not clean up.
 */
import type { Collection, Filter } from 'mongodb';
import { ConflictError, type DeviceKeyOwner, type Drone, type Tenant, type User, type UserRole } from '../../core/index.js';
import type { DronePage, IdentityRepository } from '../identity.repository.port.js';
import { emailKey } from './email.js';
import {
  conflictOnDuplicate,
  droneDocOf,
  insertDeviceKey,
  toDrone,
  toUser,
  userDocOf,
  type DeviceKeyDoc,
  type DroneDoc,
  type TenantDoc,
  type UserDoc,
} from './mongo.identity.documents.js';
import { connectMongo, ensureIndexes, type MongoGuard, type MongoHandle, type MongoStoreOptions } from '../../mongo/index.js';

const ROTATE_ATTEMPTS = 3;

export class MongoIdentityRepository implements IdentityRepository {
  private readonly tenants: Collection<TenantDoc>;
  private readonly users: Collection<UserDoc>;
  private readonly drones: Collection<DroneDoc>;
  private readonly keys: Collection<DeviceKeyDoc>;
  private readonly guard: MongoGuard;

  constructor(private readonly handle: MongoHandle) {
    const { db } = handle;
    this.tenants = db.collection('tenants');
    this.users = db.collection('users');
    this.drones = db.collection('drones');
    this.keys = db.collection('device_keys');
    this.guard = handle.guard;
  }

  /** Connects with its own client and creates the indexes. */
  static async connect(url: string, options: MongoStoreOptions = {}): Promise<MongoIdentityRepository> {
    const repo = new MongoIdentityRepository(await connectMongo(url, options));
    await repo.init().catch(async (err: unknown) => {
      await repo.close();
      throw err;
    });
    return repo;
  }

  /** Idempotent: creates what the queries use. */
  async init(): Promise<void> {
    await this.guard.run('createIndexes', async () => {
      await ensureIndexes(this.users, [
        { key: { emailLower: 1 }, name: 'email_unique', unique: true },
        { key: { tenantId: 1, createdAt: 1, _id: 1 }, name: 'tenant_created' },
      ]);
      await ensureIndexes(this.drones, [{ key: { tenantId: 1, createdAt: 1, _id: 1 }, name: 'tenant_created' }]);
      await ensureIndexes(this.keys, [{ key: { droneId: 1 }, name: 'drone' }]);
    });
  }

  createTenant(tenant: Tenant): Promise<void> {
    return this.guard.run('createTenant', async () => {
      await this.tenants
        .insertOne({ _id: tenant.id, name: tenant.name, createdAt: tenant.createdAt })
        .catch(conflictOnDuplicate('tenant already exists'));
    });
  }

  findTenant(tenantId: string): Promise<Tenant | null> {
    return this.guard.run('findTenant', async () => {
      const doc = await this.tenants.findOne({ _id: tenantId });
      return doc ? { id: doc._id, name: doc.name, createdAt: doc.createdAt } : null;
    });
  }

  createUser(user: User): Promise<void> {
    return this.guard.run('createUser', async () => {
      await this.users.insertOne(userDocOf(user)).catch(conflictOnDuplicate('a user with this email already exists'));
    });
  }

  findUserByEmail(email: string): Promise<User | null> {
    return this.guard.run('findUserByEmail', async () => {
      const doc = await this.users.findOne({ emailLower: emailKey(email) });
      return doc ? toUser(doc) : null;
    });
  }

  listUsers(tenantId: string): Promise<User[]> {
    return this.guard.run('listUsers', async () => {
      const docs = await this.users.find({ tenantId }).sort({ createdAt: 1, _id: 1 }).toArray();
      return docs.map(toUser);
    });
  }

  findUserById(tenantId: string, userId: string): Promise<User | null> {
    return this.guard.run('findUserById', async () => {
      const doc = await this.users.findOne({ _id: userId, tenantId });
      return doc ? toUser(doc) : null;
    });
  }

  /** One atomic update: the role and the token version move together. */
  updateUserRole(tenantId: string, userId: string, role: UserRole): Promise<User | null> {
    return this.guard.run('updateUserRole', async () => {
      const doc = await this.users.findOneAndUpdate(
        { _id: userId, tenantId },
        { $set: { role }, $inc: { tokenVersion: 1 } },
        { returnDocument: 'after' },
      );
      return doc ? toUser(doc) : null;
    });
  }

  deleteUser(tenantId: string, userId: string): Promise<boolean> {
    return this.guard.run('deleteUser', async () => {
      const result = await this.users.deleteOne({ _id: userId, tenantId });
      return result.deletedCount === 1;
    });
  }

  countAdmins(tenantId: string): Promise<number> {
    return this.guard.run('countAdmins', () => this.users.countDocuments({ tenantId, role: 'admin' }));
  }

  /** The drone first, then its key: a crash in between leaves a drone whose key nobody was given. */
  createDrone(drone: Drone, keyDigest: string): Promise<void> {
    return this.guard.run('createDrone', async () => {
      const doc = droneDocOf(drone, keyDigest);
      await this.drones.insertOne(doc).catch(conflictOnDuplicate('drone already exists'));
      if (doc.keyDigest === null) return;
      try {
        await this.keys.insertOne({ _id: keyDigest, tenantId: drone.tenantId, droneId: drone.id, at: Date.now() });
      } catch (err) {
        await this.drones.deleteOne({ _id: drone.id });
        conflictOnDuplicate('device key already in use')(err);
      }
    });
  }

  findDrone(tenantId: string, droneId: string, options: { includeDeleted?: boolean } = {}): Promise<Drone | null> {
    return this.guard.run('findDrone', async () => {
      const filter: Filter<DroneDoc> = options.includeDeleted ? { _id: droneId, tenantId } : { _id: droneId, tenantId, deletedAt: null };
      const doc = await this.drones.findOne(filter);
      return doc ? toDrone(doc) : null;
    });
  }

  listDrones(tenantId: string, limit: number, after?: { createdAt: number; id: string }): Promise<DronePage> {
    return this.guard.run('listDrones', async () => {
      if (limit < 1) return { items: [], next: null };
      const filter: Filter<DroneDoc> = { tenantId, deletedAt: null };
      if (after) filter.$or = [{ createdAt: { $gt: after.createdAt } }, { createdAt: after.createdAt, _id: { $gt: after.id } }];
      // One extra tells whether another page exists, so the last page says next: null.
      const docs = await this.drones
        .find(filter)
        .sort({ createdAt: 1, _id: 1 })
        .limit(limit + 1)
        .toArray();
      const items = docs.slice(0, limit).map(toDrone);
      const last = items[items.length - 1];
      return { items, next: docs.length > limit ? { createdAt: last.createdAt, id: last.id } : null };
    });
  }

  droneNames(tenantId: string, droneIds: string[]): Promise<Map<string, string>> {
    return this.guard.run('droneNames', async () => {
      const names = new Map<string, string>();
      if (droneIds.length === 0) return names;
      const docs = await this.drones.find({ _id: { $in: droneIds }, tenantId, deletedAt: null }, { projection: { name: 1 } }).toArray();
      for (const d of docs) names.set(d._id, d.name);
      return names;
    });
  }

  /**
   * New key in, drone switched to it only if nobody rotated or deleted it meanwhile, then the
   * drone's older keys out (also any a crash left behind; a concurrent rotation's newer key stays).
   */
  replaceDeviceKey(tenantId: string, droneId: string, newDigest: string): Promise<string | null> {
    return this.guard.run('replaceDeviceKey', async () => {
      for (let attempt = 1; ; attempt++) {
        const drone = await this.drones.findOne({ _id: droneId, tenantId, deletedAt: null }, { projection: { keyDigest: 1 } });
        if (!drone) return null;
        if (drone.keyDigest === newDigest) return newDigest;
        const at = await insertDeviceKey(this.keys, { _id: newDigest, tenantId, droneId, at: Date.now() });
        const switched = await this.drones.updateOne(
          { _id: droneId, tenantId, deletedAt: null, keyDigest: drone.keyDigest },
          { $set: { keyDigest: newDigest } },
        );
        if (switched.matchedCount === 1) {
          await this.keys.deleteMany({ droneId, _id: { $ne: newDigest }, at: { $lte: at } });
          return drone.keyDigest;
        }
        await this.keys.deleteOne({ _id: newDigest, droneId });
        if (attempt >= ROTATE_ATTEMPTS) throw new ConflictError('the drone changed meanwhile, try again');
      }
    });
  }

  /** Marks the drone deleted, then removes its keys; a retry on an already deleted drone finishes the removal. */
  deleteDrone(tenantId: string, droneId: string, deletedAt: number): Promise<string | null> {
    return this.guard.run('deleteDrone', async () => {
      const before = await this.drones.findOneAndUpdate(
        { _id: droneId, tenantId, deletedAt: null },
        { $set: { deletedAt, keyDigest: null } },
        // No projection: FerretDB 1.24 does not implement it for findAndModify.
        { returnDocument: 'before' },
      );
      const owned = before ?? (await this.drones.findOne({ _id: droneId, tenantId }, { projection: { _id: 1 } }));
      if (owned) await this.keys.deleteMany({ droneId });
      return before ? before.keyDigest : null;
    });
  }

  findDeviceKey(digest: string): Promise<DeviceKeyOwner | null> {
    return this.guard.run('findDeviceKey', async () => {
      const doc = await this.keys.findOne({ _id: digest });
      return doc ? { tenantId: doc.tenantId, droneId: doc.droneId } : null;
    });
  }

  ping(): Promise<void> {
    return this.guard.run('ping', async () => {
      await this.handle.db.command({ ping: 1 });
    });
  }

  close(): Promise<void> {
    return this.guard.run('close', () => this.handle.release());
  }
}
