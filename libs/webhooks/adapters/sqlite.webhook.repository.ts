import type { Migration, SqliteDatabase } from '../../sqlite/index.js';
import type { Delivery, Webhook } from '../webhook.js';
import type { AttemptResult, WebhookRepository } from '../webhook.repository.port.js';

/** The webhooks module's tables: webhooks, and deliveries (the durable outbox) by due time. */
export const WEBHOOK_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'webhooks and their deliveries',
    up: (db) =>
      db.exec(`
        CREATE TABLE webhooks (
          id TEXT PRIMARY KEY,
          tenant_id TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          doc TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX webhooks_by_tenant ON webhooks (tenant_id, created_at);
        CREATE TABLE webhook_deliveries (
          id TEXT PRIMARY KEY,
          tenant_id TEXT NOT NULL,
          webhook_id TEXT NOT NULL,
          status TEXT NOT NULL,
          next_attempt_at INTEGER,
          lease_until INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          doc TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
        CREATE INDEX deliveries_by_webhook ON webhook_deliveries (webhook_id, created_at DESC);
      `),
  },
];

const parse = <T>(r: { doc: string }): T => JSON.parse(r.doc);

/** Webhooks and deliveries in the shared embedded SQLite database; a pending delivery survives a restart. */
export class SqliteWebhookRepository implements WebhookRepository {
  private readonly sql;

  constructor(private readonly db: SqliteDatabase) {
    db.migrate('webhooks', WEBHOOK_MIGRATIONS);
    db.retain();
    const c = db.connection;
    this.sql = {
      insertHook: c.prepare('INSERT INTO webhooks (id, tenant_id, created_at, doc) VALUES (?, ?, ?, ?)'),
      hooks: c.prepare('SELECT doc FROM webhooks WHERE tenant_id = ? ORDER BY created_at, id'),
      hook: c.prepare('SELECT doc FROM webhooks WHERE id = ? AND tenant_id = ?'),
      removeHook: c.prepare('DELETE FROM webhooks WHERE id = ? AND tenant_id = ?'),
      insertDelivery: c.prepare(
        'INSERT INTO webhook_deliveries (id, tenant_id, webhook_id, status, next_attempt_at, lease_until, created_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
      ),
      due: c.prepare(
        "SELECT doc FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? AND lease_until <= ? ORDER BY next_attempt_at LIMIT ?",
      ),
      claim: c.prepare("UPDATE webhook_deliveries SET lease_until = ? WHERE id = ? AND status = 'pending' AND lease_until <= ?"),
      delivery: c.prepare('SELECT doc FROM webhook_deliveries WHERE id = ?'),
      save: c.prepare('UPDATE webhook_deliveries SET status = ?, next_attempt_at = ?, lease_until = ?, doc = ? WHERE id = ?'),
      log: c.prepare('SELECT doc FROM webhook_deliveries WHERE tenant_id = ? AND webhook_id = ? ORDER BY created_at DESC, id DESC LIMIT ?'),
    };
  }

  async createWebhook(w: Webhook): Promise<void> {
    this.db.run(() => this.sql.insertHook.run(w.id, w.tenantId, w.createdAt, JSON.stringify(w)));
    await this.db.syncToDisk();
  }

  async listWebhooks(tenantId: string): Promise<Webhook[]> {
    return (this.db.run(() => this.sql.hooks.all(tenantId)) as { doc: string }[]).map((r) => parse<Webhook>(r));
  }

  async findWebhook(tenantId: string, id: string): Promise<Webhook | null> {
    const row = this.db.run(() => this.sql.hook.get(id, tenantId)) as { doc: string } | undefined;
    return row ? parse<Webhook>(row) : null;
  }

  async deleteWebhook(tenantId: string, id: string): Promise<boolean> {
    const changed = this.db.run(() => this.sql.removeHook.run(id, tenantId)).changes === 1;
    await this.db.syncToDisk();
    return changed;
  }

  async addDeliveries(list: Delivery[]): Promise<void> {
    if (list.length === 0) return;
    this.db.transaction(() => {
      for (const d of list)
        this.sql.insertDelivery.run(d.id, d.tenantId, d.webhookId, d.status, d.nextAttemptAt, d.leaseUntil, d.createdAt, JSON.stringify(d));
    });
    await this.db.syncToDisk();
  }

  async dueDeliveries(now: number, limit: number): Promise<Delivery[]> {
    return (this.db.run(() => this.sql.due.all(now, now, limit)) as { doc: string }[]).map((r) => ({
      ...parse<Delivery>(r),
      leaseUntil: 0,
    }));
  }

  async claimDelivery(id: string, now: number, leaseUntil: number): Promise<boolean> {
    return this.db.run(() => this.sql.claim.run(leaseUntil, id, now)).changes === 1;
  }

  async recordAttempt(id: string, result: AttemptResult): Promise<void> {
    this.db.transaction(() => {
      const row = this.sql.delivery.get(id) as { doc: string } | undefined;
      if (!row) return;
      const next: Delivery = { ...parse<Delivery>(row), ...result, leaseUntil: 0 };
      this.sql.save.run(next.status, next.nextAttemptAt, 0, JSON.stringify(next), id);
    });
    await this.db.syncToDisk();
  }

  async listDeliveries(tenantId: string, webhookId: string, limit: number): Promise<Delivery[]> {
    return (this.db.run(() => this.sql.log.all(tenantId, webhookId, limit)) as { doc: string }[]).map((r) => parse<Delivery>(r));
  }

  async ping(): Promise<void> {
    this.db.run(() => this.sql.hook.get('', ''));
  }

  async close(): Promise<void> {
    this.db.release();
  }
}
