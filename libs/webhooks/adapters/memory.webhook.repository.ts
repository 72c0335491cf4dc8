import { DocumentMap } from '../../memory/index.js';
import type { Delivery, Webhook } from '../webhook.js';
import type { AttemptResult, WebhookRepository } from '../webhook.repository.port.js';

const newestFirst = (a: Delivery, b: Delivery) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1);

/** Webhooks and deliveries in memory (tests, development). */
export class MemoryWebhookRepository implements WebhookRepository {
  private readonly webhooks = new DocumentMap<Webhook>();
  private readonly deliveries = new DocumentMap<Delivery>();

  async createWebhook(w: Webhook): Promise<void> {
    await this.webhooks.put({ ...w });
  }

  async listWebhooks(tenantId: string): Promise<Webhook[]> {
    return [...this.webhooks.values()]
      .filter((w) => w.tenantId === tenantId)
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((w) => ({ ...w }));
  }

  async findWebhook(tenantId: string, id: string): Promise<Webhook | null> {
    const w = this.webhooks.get(id);
    return w && w.tenantId === tenantId ? { ...w } : null;
  }

  async deleteWebhook(tenantId: string, id: string): Promise<boolean> {
    const w = this.webhooks.get(id);
    return w !== undefined && w.tenantId === tenantId && this.webhooks.delete(id);
  }

  async addDeliveries(list: Delivery[]): Promise<void> {
    for (const d of list) if (!this.deliveries.get(d.id)) await this.deliveries.put({ ...d });
  }

  async dueDeliveries(now: number, limit: number): Promise<Delivery[]> {
    return [...this.deliveries.values()]
      .filter((d) => d.status === 'pending' && (d.nextAttemptAt ?? 0) <= now && d.leaseUntil <= now)
      .sort((a, b) => (a.nextAttemptAt ?? 0) - (b.nextAttemptAt ?? 0))
      .slice(0, limit)
      .map((d) => ({ ...d }));
  }

  async claimDelivery(id: string, now: number, leaseUntil: number): Promise<boolean> {
    const d = this.deliveries.get(id);
    if (!d || d.status !== 'pending' || d.leaseUntil > now) return false;
    await this.deliveries.put({ ...d, leaseUntil });
    return true;
  }

  async recordAttempt(id: string, result: AttemptResult): Promise<void> {
    const d = this.deliveries.get(id);
    if (d) await this.deliveries.put({ ...d, ...result, leaseUntil: 0 });
  }

  async listDeliveries(tenantId: string, webhookId: string, limit: number): Promise<Delivery[]> {
    return [...this.deliveries.values()]
      .filter((d) => d.tenantId === tenantId && d.webhookId === webhookId)
      .sort(newestFirst)
      .slice(0, limit)
      .map((d) => ({ ...d }));
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.webhooks.close();
    this.deliveries.close();
  }
}
