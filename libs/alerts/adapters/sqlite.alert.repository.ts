import type { Statement } from 'better-sqlite3';
import type { Migration, SqliteDatabase } from '../../sqlite/index.js';
import { asOpened, openKeyOf, withoutPending, withPending, type Alert, type AlertEvent, type NewAlert } from '../alert.js';
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
  {
    version: 2,
    description: 'the announcement outbox: when an alert with pending events is due for the announcer',
    up: (db) =>
      db.exec(`
        ALTER TABLE alerts ADD COLUMN announce_due_at INTEGER;
        CREATE INDEX alerts_announce_due ON alerts (announce_due_at) WHERE announce_due_at IS NOT NULL;
      `),
  },
];

/** Rows written before version 2 have no outbox fields: nothing pending. */
const parse = (r: { doc: string }): Alert => ({ pending: [], announceDueAt: null, ...JSON.parse(r.doc) });

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
        'INSERT INTO alerts (id, tenant_id, drone_id, type, geofence_id, state, opened_at, open_key, announce_due_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (open_key) DO NOTHING',
      ),
      get: c.prepare('SELECT doc FROM alerts WHERE id = ? AND tenant_id = ?'),
      save: c.prepare(
        "UPDATE alerts SET doc = ?, state = ?, open_key = CASE WHEN ? = 'open' THEN open_key END, announce_due_at = ? WHERE id = ?",
      ),
      due: c.prepare('SELECT doc FROM alerts WHERE announce_due_at <= ? ORDER BY announce_due_at LIMIT ?'),
      openOfGeofence: c.prepare("SELECT doc FROM alerts WHERE tenant_id = ? AND geofence_id = ? AND state = 'open'"),
    };
  }

  async open(alert: NewAlert): Promise<boolean> {
    const a = asOpened(alert);
    const key = `${a.tenantId}|${openKeyOf(a)}`;
    const row = [a.id, a.tenantId, a.droneId, a.type, a.geofenceId, a.state, a.openedAt, key, a.announceDueAt, JSON.stringify(a)];
    return this.db.run(() => this.sql.insert.run(...row)).changes === 1;
  }

  /** Writes the alert's row (document, state, open key, due time) in one statement. */
  private save(a: Alert): void {
    this.sql.save.run(JSON.stringify(a), a.state, a.state, a.announceDueAt, a.id);
  }

  async resolve(tenantId: string, id: string, at: number): Promise<Alert | null> {
    const resolved = this.db.transaction(() => {
      const row = this.sql.get.get(id, tenantId) as { doc: string } | undefined;
      const a = row && parse(row);
      if (!a || a.state !== 'open') return null;
      const next = withPending({ ...a, state: 'resolved', resolvedAt: at }, 'alert.resolved', at);
      this.save(next);
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
      const acked = withPending({ ...a, acknowledgedAt: at, acknowledgedBy: userId }, 'alert.acknowledged', at);
      this.save(acked);
      return { alert: acked, changed: true };
    });
    if (result?.changed) await this.db.syncToDisk();
    return result;
  }

  /** Not fsynced: if the mark is lost, the events are announced once more (at least once). */
  async markAnnounced(tenantId: string, id: string, events: AlertEvent[]): Promise<void> {
    this.db.transaction(() => {
      const row = this.sql.get.get(id, tenantId) as { doc: string } | undefined;
      if (row) this.save(withoutPending(parse(row), events));
    });
  }

  async claimDueAnnouncements(now: number, leaseUntil: number, limit: number): Promise<Alert[]> {
    return this.db.transaction(() =>
      (this.sql.due.all(now, limit) as { doc: string }[]).map((row) => {
        const claimed = { ...parse(row), announceDueAt: leaseUntil };
        this.save(claimed);
        return claimed;
      }),
    );
  }

  async ping(): Promise<void> {
    this.db.run(() => this.sql.get.get('', ''));
  }

  async close(): Promise<void> {
    this.db.release();
  }
}
