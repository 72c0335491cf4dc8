import type { Statement } from 'better-sqlite3';
import type { Migration, SqliteDatabase } from '../../sqlite/index.js';
import { openKeyOf, type Alert } from '../alert.js';
import type { AlertPage, AlertQuery, AlertRepository } from '../alert.repository.port.js';

/**
 * The alerts module's tables. `open_key` is UNIQUE and NULL once resolved (SQLite lets NULLs
 * repeat), so at most one alert per (tenant, drone, type, geofence) is open.
 */
export const ALERT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'alerts with a unique open key, listed newest first per tenant',
    up: (db) =>
      db.exec(`
        CREATE TABLE alerts (
          id TEXT PRIMARY KEY,
          tenant_id TEXT NOT NULL,
          drone_id TEXT NOT NULL,
          type TEXT NOT NULL,
          geofence_id TEXT,
          state TEXT NOT NULL,
          opened_at INTEGER NOT NULL,
          open_key TEXT UNIQUE,
          doc TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX alerts_by_tenant ON alerts (tenant_id, opened_at DESC, id DESC);
        CREATE INDEX alerts_open_by_drone ON alerts (tenant_id, drone_id) WHERE state = 'open';
      `),
  },
];

const parse = (r: { doc: string }): Alert => JSON.parse(r.doc);

/**
 * Alerts in the shared embedded SQLite database. Opens and resolves come from telemetry jobs, and
 * the embedded queue acknowledges a job only after the database's fsync barrier, so they do not
 * fsync one by one (a process crash keeps committed rows in the WAL either way); an
 * acknowledgement answers a user, so it is on disk before the answer.
 */
export class SqliteAlertRepository implements AlertRepository {
  private readonly sql;
  /** findOpen statements by the number of drone ids (prepared once each). */
  private readonly openOfDrones = new Map<number, Statement>();

  constructor(private readonly db: SqliteDatabase) {
    db.migrate('alerts', ALERT_MIGRATIONS);
    db.retain();
    const c = db.connection;
    this.sql = {
      insert: c.prepare(
        'INSERT INTO alerts (id, tenant_id, drone_id, type, geofence_id, state, opened_at, open_key, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (open_key) DO NOTHING',
      ),
      get: c.prepare('SELECT doc FROM alerts WHERE id = ? AND tenant_id = ?'),
      setDoc: c.prepare("UPDATE alerts SET doc = ?, state = ?, open_key = CASE WHEN ? = 'open' THEN open_key END WHERE id = ?"),
      openOfGeofence: c.prepare("SELECT doc FROM alerts WHERE tenant_id = ? AND geofence_id = ? AND state = 'open'"),
    };
  }

  async open(alert: Alert): Promise<boolean> {
    const a = alert;
    const inserted =
      this.db.run(() =>
        this.sql.insert.run(
          a.id,
          a.tenantId,
          a.droneId,
          a.type,
          a.geofenceId,
          a.state,
          a.openedAt,
          `${a.tenantId}|${openKeyOf(a)}`,
          JSON.stringify(a),
        ),
      ).changes === 1;
    return inserted;
  }

  async resolve(tenantId: string, id: string, at: number): Promise<Alert | null> {
    const resolved = this.db.transaction(() => {
      const row = this.sql.get.get(id, tenantId) as { doc: string } | undefined;
      const a = row && parse(row);
      if (!a || a.state !== 'open') return null;
      const next: Alert = { ...a, state: 'resolved', resolvedAt: at };
      this.sql.setDoc.run(JSON.stringify(next), 'resolved', 'resolved', id);
      return next;
    });
    return resolved;
  }

  async findOpen(tenantId: string, droneIds: string[]): Promise<Alert[]> {
    if (droneIds.length === 0) return [];
    const out: Alert[] = [];
    for (let i = 0; i < droneIds.length; i += 500) {
      const chunk = droneIds.slice(i, i + 500);
      const rows = this.db.run(() => this.openStatement(chunk.length).all(tenantId, ...chunk)) as { doc: string }[];
      out.push(...rows.map(parse));
    }
    return out;
  }

  private openStatement(n: number): Statement {
    let st = this.openOfDrones.get(n);
    if (!st) {
      st = this.db.connection.prepare(
        `SELECT doc FROM alerts WHERE tenant_id = ? AND state = 'open' AND drone_id IN (${Array(n).fill('?').join(',')})`,
      );
      this.openOfDrones.set(n, st);
    }
    return st;
  }

  async findOpenOfGeofence(tenantId: string, geofenceId: string): Promise<Alert[]> {
    return (this.db.run(() => this.sql.openOfGeofence.all(tenantId, geofenceId)) as { doc: string }[]).map(parse);
  }

  async get(tenantId: string, id: string): Promise<Alert | null> {
    const row = this.db.run(() => this.sql.get.get(id, tenantId)) as { doc: string } | undefined;
    return row ? parse(row) : null;
  }

  async list(q: AlertQuery): Promise<AlertPage> {
    const where = ['tenant_id = ?'];
    const args: (string | number)[] = [q.tenantId];
    if (q.state !== 'all') {
      where.push('state = ?');
      args.push(q.state);
    }
    if (q.droneId) {
      where.push('drone_id = ?');
      args.push(q.droneId);
    }
    if (q.type) {
      where.push('type = ?');
      args.push(q.type);
    }
    if (q.from !== undefined) {
      where.push('opened_at >= ?');
      args.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('opened_at <= ?');
      args.push(q.to);
    }
    if (q.after) {
      where.push('(opened_at < ? OR (opened_at = ? AND id < ?))');
      args.push(q.after.openedAt, q.after.openedAt, q.after.id);
    }
    const sql = `SELECT doc FROM alerts WHERE ${where.join(' AND ')} ORDER BY opened_at DESC, id DESC LIMIT ?`;
    const rows = this.db.run(() => this.db.connection.prepare(sql).all(...args, q.limit + 1)) as { doc: string }[];
    const items = rows.slice(0, q.limit).map(parse);
    const last = items[items.length - 1];
    return { items, next: rows.length > q.limit && last ? { openedAt: last.openedAt, id: last.id } : null };
  }

  async acknowledge(tenantId: string, id: string, userId: string, at: number): Promise<{ alert: Alert; changed: boolean } | null> {
    const result = this.db.transaction(() => {
      const row = this.sql.get.get(id, tenantId) as { doc: string } | undefined;
      if (!row) return null;
      const a = parse(row);
      if (a.acknowledgedAt !== null) return { alert: a, changed: false };
      const acked: Alert = { ...a, acknowledgedAt: at, acknowledgedBy: userId };
      this.sql.setDoc.run(JSON.stringify(acked), acked.state, acked.state, id);
      return { alert: acked, changed: true };
    });
    if (result?.changed) await this.db.syncToDisk();
    return result;
  }

  async ping(): Promise<void> {
    this.db.run(() => this.sql.get.get('', ''));
  }

  async close(): Promise<void> {
    this.db.release();
  }
}
