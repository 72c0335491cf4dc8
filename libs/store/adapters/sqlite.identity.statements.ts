/** The identity tables' rows, their mapping to domain records, and the prepared statements (SqliteIdentityRepository). */
import type { Statement } from 'better-sqlite3';
import type { Drone, User, UserRole } from '../../core/index.js';
import type { SqliteDatabase } from '../../sqlite/index.js';

export interface UserRow {
  id: string;
  tenant_id: string;
  email: string;
  role: UserRole;
  password_hash: string;
  created_at: number;
  token_version: number | null;
}

export interface DroneRow {
  id: string;
  tenant_id: string;
  name: string;
  serial_number: string | null;
  model: string | null;
  created_at: number;
  deleted_at: number | null;
  key_digest: string | null;
}

export const toUser = (r: UserRow): User => {
  const user: User = {
    id: r.id,
    tenantId: r.tenant_id,
    email: r.email,
    role: r.role,
    passwordHash: r.password_hash,
    createdAt: r.created_at,
  };
  // Returned as stored: a user created without a version has none (the port counts it as 0).
  if (r.token_version !== null) user.tokenVersion = r.token_version;
  return user;
};
export const USER_COLUMNS = 'id, tenant_id, email, role, password_hash, created_at, token_version';
export const toDrone = (r: DroneRow): Drone => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  serialNumber: r.serial_number,
  model: r.model,
  createdAt: r.created_at,
  deletedAt: r.deleted_at,
});

export const DRONE_COLUMNS = 'id, tenant_id, name, serial_number, model, created_at, deleted_at, key_digest';

export function prepareIdentityStatements(db: SqliteDatabase) {
  const c = db.connection;
  const s = (sql: string): Statement => c.prepare(sql);
  return {
    ping: s('SELECT 1'),
    tenantById: s('SELECT id, name, created_at FROM tenants WHERE id = ?'),
    insertTenant: s('INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)'),
    userById: s('SELECT id FROM users WHERE id = ?'),
    userByEmail: s(`SELECT ${USER_COLUMNS} FROM users WHERE email_key = ?`),
    userOfTenant: s(`SELECT ${USER_COLUMNS} FROM users WHERE id = ? AND tenant_id = ?`),
    usersOfTenant: s(`SELECT ${USER_COLUMNS} FROM users WHERE tenant_id = ? ORDER BY created_at, id`),
    insertUser: s(
      'INSERT INTO users (id, tenant_id, email, email_key, role, password_hash, created_at, token_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    setRole: s('UPDATE users SET role = ?, token_version = coalesce(token_version, 0) + 1 WHERE id = ? AND tenant_id = ?'),
    deleteUser: s('DELETE FROM users WHERE id = ? AND tenant_id = ?'),
    adminCount: s("SELECT count(*) AS n FROM users WHERE tenant_id = ? AND role = 'admin'"),
    droneById: s(`SELECT ${DRONE_COLUMNS} FROM drones WHERE id = ?`),
    droneByKey: s('SELECT id, tenant_id FROM drones WHERE key_digest = ?'),
    insertDrone: s(`INSERT INTO drones (${DRONE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    liveDrones: s(`SELECT ${DRONE_COLUMNS} FROM drones WHERE tenant_id = ? AND deleted_at IS NULL ORDER BY created_at, id LIMIT ?`),
    liveDronesAfter: s(
      `SELECT ${DRONE_COLUMNS} FROM drones WHERE tenant_id = ? AND deleted_at IS NULL
         AND (created_at > ? OR (created_at = ? AND id > ?)) ORDER BY created_at, id LIMIT ?`,
    ),
    liveDroneName: s('SELECT name FROM drones WHERE id = ? AND tenant_id = ? AND deleted_at IS NULL'),
    setKey: s('UPDATE drones SET key_digest = ? WHERE id = ?'),
    softDelete: s('UPDATE drones SET deleted_at = ?, key_digest = NULL WHERE id = ?'),
  };
}
