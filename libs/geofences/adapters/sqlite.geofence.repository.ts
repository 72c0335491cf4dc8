import type { Migration, SqliteDatabase } from '../../sqlite/index.js';
import type { Geofence } from '../geofence.js';
import type { GeofencePage, GeofenceRepository } from '../geofence.repository.port.js';

/** The geofences module's tables in the embedded database; append migrations, never edit one. */
export const GEOFENCE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'geofences as JSON documents, paged per tenant',
    up: (db) =>
      db.exec(`
        CREATE TABLE geofences (
          id TEXT PRIMARY KEY,
          tenant_id TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          doc TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX geofences_by_tenant ON geofences (tenant_id, created_at, id);
      `),
  },
];

/** Geofences in the shared embedded SQLite database (one JSON document per row). */
export class SqliteGeofenceRepository implements GeofenceRepository {
  private readonly sql;

  constructor(private readonly db: SqliteDatabase) {
    db.migrate('geofences', GEOFENCE_MIGRATIONS);
    db.retain();
    const c = db.connection;
    this.sql = {
      insert: c.prepare('INSERT INTO geofences (id, tenant_id, created_at, doc) VALUES (?, ?, ?, ?)'),
      find: c.prepare('SELECT doc FROM geofences WHERE id = ? AND tenant_id = ?'),
      page: c.prepare('SELECT doc FROM geofences WHERE tenant_id = ? AND (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?'),
      all: c.prepare('SELECT doc FROM geofences WHERE tenant_id = ?'),
      count: c.prepare('SELECT count(*) AS n FROM geofences WHERE tenant_id = ?'),
      update: c.prepare('UPDATE geofences SET doc = ? WHERE id = ? AND tenant_id = ?'),
      remove: c.prepare('DELETE FROM geofences WHERE id = ? AND tenant_id = ?'),
    };
  }

  async create(g: Geofence): Promise<void> {
    this.db.run(() => this.sql.insert.run(g.id, g.tenantId, g.createdAt, JSON.stringify(g)));
    await this.db.syncToDisk();
  }

  async find(tenantId: string, id: string): Promise<Geofence | null> {
    const row = this.db.run(() => this.sql.find.get(id, tenantId)) as { doc: string } | undefined;
    return row ? JSON.parse(row.doc) : null;
  }

  async list(tenantId: string, limit: number, after?: { createdAt: number; id: string }): Promise<GeofencePage> {
    const rows = this.db.run(() => this.sql.page.all(tenantId, after?.createdAt ?? -Infinity, after?.id ?? '', limit + 1)) as {
      doc: string;
    }[];
    const items = rows.slice(0, limit).map((r) => JSON.parse(r.doc) as Geofence);
    const last = items[items.length - 1];
    return { items, next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null };
  }

  async listAll(tenantId: string): Promise<Geofence[]> {
    return (this.db.run(() => this.sql.all.all(tenantId)) as { doc: string }[]).map((r) => JSON.parse(r.doc));
  }

  async count(tenantId: string): Promise<number> {
    return (this.db.run(() => this.sql.count.get(tenantId)) as { n: number }).n;
  }

  async update(g: Geofence): Promise<boolean> {
    const changed = this.db.run(() => this.sql.update.run(JSON.stringify(g), g.id, g.tenantId)).changes === 1;
    await this.db.syncToDisk();
    return changed;
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const changed = this.db.run(() => this.sql.remove.run(id, tenantId)).changes === 1;
    await this.db.syncToDisk();
    return changed;
  }

  async ping(): Promise<void> {
    this.db.run(() => this.sql.count.get(''));
  }

  async close(): Promise<void> {
    this.db.release();
  }
}
