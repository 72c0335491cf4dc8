/** The identity collections' documents and their mapping to domain records (MongoIdentityRepository). */
import type { Collection } from 'mongodb';
import { ConflictError, type Drone, type User, type UserRole } from '../../core/index.js';
import { emailKey } from './email.js';
import { isDuplicateKey } from '../../mongo/index.js';

export interface TenantDoc {
  _id: string;
  name: string;
  createdAt: number;
}

export interface UserDoc {
  _id: string;
  tenantId: string;
  email: string;
  emailLower: string;
  role: UserRole;
  passwordHash: string;
  createdAt: number;
  tokenVersion?: number;
}

export interface DroneDoc {
  _id: string;
  tenantId: string;
  name: string;
  serialNumber: string | null;
  model: string | null;
  createdAt: number;
  deletedAt: number | null;
  /** The current key's digest; null once deleted. */
  keyDigest: string | null;
}

export interface DeviceKeyDoc {
  _id: string;
  tenantId: string;
  droneId: string;
  /** When the key was stored: a rotation removes only the drone's keys older than its own. */
  at: number;
}

/** Retries of a key rotation that lost a race with another rotation of the same drone. */
export function conflictOnDuplicate(message: string): (err: unknown) => never {
  return (err) => {
    throw isDuplicateKey(err) ? new ConflictError(message) : err;
  };
}

export function toUser(d: UserDoc): User {
  return {
    id: d._id,
    tenantId: d.tenantId,
    email: d.email,
    role: d.role,
    passwordHash: d.passwordHash,
    createdAt: d.createdAt,
    ...(d.tokenVersion !== undefined && { tokenVersion: d.tokenVersion }),
  };
}

export function toDrone(d: DroneDoc): Drone {
  return {
    id: d._id,
    tenantId: d.tenantId,
    name: d.name,
    serialNumber: d.serialNumber ?? null,
    model: d.model ?? null,
    createdAt: d.createdAt,
    deletedAt: d.deletedAt ?? null,
  };
}

export function userDocOf(user: User): UserDoc {
  return {
    _id: user.id,
    tenantId: user.tenantId,
    email: user.email,
    emailLower: emailKey(user.email),
    role: user.role,
    passwordHash: user.passwordHash,
    createdAt: user.createdAt,
    ...(user.tokenVersion !== undefined && { tokenVersion: user.tokenVersion }),
  };
}

/** A deleted drone holds no key. */
export function droneDocOf(drone: Drone, keyDigest: string): DroneDoc {
  return {
    _id: drone.id,
    tenantId: drone.tenantId,
    name: drone.name,
    serialNumber: drone.serialNumber,
    model: drone.model,
    createdAt: drone.createdAt,
    deletedAt: drone.deletedAt,
    keyDigest: drone.deletedAt === null ? keyDigest : null,
  };
}

/**
 * Returns the stored key's time. Inserting a key the drone already holds (a retried rotation)
 * is fine; one another drone holds is a conflict.
 */
export async function insertDeviceKey(keys: Collection<DeviceKeyDoc>, doc: DeviceKeyDoc): Promise<number> {
  try {
    await keys.insertOne(doc);
    return doc.at;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const holder = await keys.findOne({ _id: doc._id });
    if (!holder || holder.droneId !== doc.droneId) throw new ConflictError('device key already in use');
    return holder.at;
  }
}
