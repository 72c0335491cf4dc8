import type { Collection } from 'mongodb';
import { duplicateKeyErrors, ensureIndexes, type MongoGuard, type MongoHandle } from '../../mongo/index.js';
import type { Delivery, Webhook } from '../webhook.js';
import type { AttemptResult, WebhookRepository } from '../webhook.repository.port.js';

type Doc<T extends { id: string }> = Omit<T, 'id'> & { _id: string };
const toDoc = <T extends { id: string }>({ id, ...rest }: T): Doc<T> => ({ _id: id, ...rest }) as Doc<T>;
const fromDoc = <T extends { id: string }>({ _id, ...rest }: Doc<T>): T => ({ id: _id, ...rest }) as unknown as T;

/**
 * Webhooks and deliveries on MongoDB (or FerretDB). A claim is a conditional single-document
 * update (pending and not leased); where the server runs updates without isolation (FerretDB),
 * two dispatchers may both win a claim, which at-least-once delivery allows: the event id is the
 * same on both, so receivers deduplicate.
 */
export class MongoWebhookRepository implements WebhookRepository {
  private readonly webhooks: Collection<Doc<Webhook>>;
  private readonly deliveries: Collection<Doc<Delivery>>;
  private readonly guard: MongoGuard;

  constructor(private readonly handle: MongoHandle) {
    this.webhooks = handle.db.collection('webhooks');
    this.deliveries = handle.db.collection('webhook_deliveries');
    this.guard = handle.guard;
  }

  async init(): Promise<void> {
    await this.guard.run('createIndexes', async () => {
      await ensureIndexes(this.webhooks, [{ key: { tenantId: 1, createdAt: 1 }, name: 'tenant_created' }]);
      await ensureIndexes(this.deliveries, [
        { key: { status: 1, nextAttemptAt: 1 }, name: 'status_next' },
        { key: { webhookId: 1, createdAt: -1 }, name: 'webhook_created' },
      ]);
    });
  }

  createWebhook(w: Webhook): Promise<void> {
    return this.guard.run('createWebhook', async () => void (await this.webhooks.insertOne(toDoc(w))));
  }

  listWebhooks(tenantId: string): Promise<Webhook[]> {
    return this.guard.run('listWebhooks', async () =>
      (await this.webhooks.find({ tenantId }).sort({ createdAt: 1, _id: 1 }).toArray()).map((d) => fromDoc<Webhook>(d)),
    );
  }

  findWebhook(tenantId: string, id: string): Promise<Webhook | null> {
    return this.guard.run('findWebhook', async () => {
      const d = await this.webhooks.findOne({ _id: id, tenantId });
      return d ? fromDoc<Webhook>(d) : null;
    });
  }

  deleteWebhook(tenantId: string, id: string): Promise<boolean> {
    return this.guard.run('deleteWebhook', async () => (await this.webhooks.deleteOne({ _id: id, tenantId })).deletedCount === 1);
  }

  addDeliveries(list: Delivery[]): Promise<void> {
    if (list.length === 0) return Promise.resolve();
    return this.guard.run('addDeliveries', async () => {
      try {
        await this.deliveries.insertMany(
          list.map((d) => toDoc(d)),
          { ordered: false },
        );
      } catch (err) {
        // Every failure a duplicate _id: those deliveries were stored before (an event enqueued again).
        if (!duplicateKeyErrors(err)) throw err;
      }
    });
  }

  dueDeliveries(now: number, limit: number): Promise<Delivery[]> {
    return this.guard.run('dueDeliveries', async () =>
      (
        await this.deliveries
          .find({ status: 'pending', nextAttemptAt: { $lte: now }, leaseUntil: { $lte: now } })
          .sort({ nextAttemptAt: 1 })
          .limit(limit)
          .toArray()
      ).map((d) => fromDoc<Delivery>(d)),
    );
  }

  claimDelivery(id: string, now: number, leaseUntil: number): Promise<boolean> {
    return this.guard.run('claimDelivery', async () => {
      const r = await this.deliveries.updateOne({ _id: id, status: 'pending', leaseUntil: { $lte: now } }, { $set: { leaseUntil } });
      return r.modifiedCount === 1;
    });
  }

  recordAttempt(id: string, result: AttemptResult): Promise<void> {
    return this.guard.run(
      'recordAttempt',
      async () => void (await this.deliveries.updateOne({ _id: id }, { $set: { ...result, leaseUntil: 0 } })),
    );
  }

  listDeliveries(tenantId: string, webhookId: string, limit: number): Promise<Delivery[]> {
    return this.guard.run('listDeliveries', async () =>
      (await this.deliveries.find({ tenantId, webhookId }).sort({ createdAt: -1, _id: -1 }).limit(limit).toArray()).map((d) =>
        fromDoc<Delivery>(d),
      ),
    );
  }

  ping(): Promise<void> {
    return this.guard.run('ping', async () => void (await this.handle.db.command({ ping: 1 })));
  }

  close(): Promise<void> {
    return this.handle.release();
  }
}
