import type { Migration } from '../../sqlite/index.js';

/**
 * Identity tables of the embedded store. Append new migrations (version 2, 3, ...) for new
 * columns or tables; never edit a released one.
 */
export const IDENTITY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'tenants, users, drones with their device key',
    up: (db) =>
      db.exec(`
        CREATE TABLE tenants (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          created_at INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE users (
          id TEXT PRIMARY KEY,
          tenant_id TEXT NOT NULL,
          email TEXT NOT NULL,
          email_key TEXT NOT NULL UNIQUE,
          role TEXT NOT NULL,
          password_hash TEXT NOT NULL,
          created_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX users_by_tenant ON users (tenant_id, created_at, id);

        -- key_digest is the drone's current device key (SHA-256), NULL once deleted.
        CREATE TABLE drones (
          id TEXT PRIMARY KEY,
          tenant_id TEXT NOT NULL,
          name TEXT NOT NULL,
          serial_number TEXT,
          model TEXT,
          created_at INTEGER NOT NULL,
          deleted_at INTEGER,
          key_digest TEXT UNIQUE
        ) WITHOUT ROWID;
        CREATE INDEX drones_live_by_tenant ON drones (tenant_id, created_at, id) WHERE deleted_at IS NULL;
      `),
  },
  {
    version: 2,
    description: 'users.token_version (NULL counts as 0): tokens issued before a role change stop working',
    up: (db) => db.exec('ALTER TABLE users ADD COLUMN token_version INTEGER'),
  },
];
