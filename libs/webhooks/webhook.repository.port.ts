import type { Delivery, Webhook } from './webhook.js';

export const WEBHOOK_REPOSITORY = Symbol('WebhookRepository');

/** What one attempt changed on a delivery. */
export type AttemptResult = Pick<Delivery, 'status' | 'attempts' | 'lastStatusCode' | 'lastError' | 'lastAttemptAt' | 'nextAttemptAt'>;

/**
 * Webhooks and their deliveries. Deliveries are the durable outbox: a row stays `pending` until
 * an attempt succeeds or it grows too old, so it survives the restart or crash of any process.
 */
export interface WebhookRepository {
  createWebhook(webhook: Webhook): Promise<void>;
  listWebhooks(tenantId: string): Promise<Webhook[]>;
  /** Without a tenant id only for the dispatcher, which holds a delivery's own tenant id. */
  findWebhook(tenantId: string, id: string): Promise<Webhook | null>;
  deleteWebhook(tenantId: string, id: string): Promise<boolean>;

  /**
   * Stores new deliveries; one whose id is already stored is left as it is (insert or ignore), so
   * an event enqueued again, with the same derived ids, adds nothing.
   */
  addDeliveries(deliveries: Delivery[]): Promise<void>;
  /** Pending deliveries due by `now` and not leased, oldest nextAttemptAt first. */
  dueDeliveries(now: number, limit: number): Promise<Delivery[]>;
  /** Leases a due delivery until `leaseUntil`; false when another dispatcher got it first. */
  claimDelivery(id: string, now: number, leaseUntil: number): Promise<boolean>;
  /** Stores an attempt's outcome and frees the lease. */
  recordAttempt(id: string, result: AttemptResult): Promise<void>;
  /** Newest first. */
  listDeliveries(tenantId: string, webhookId: string, limit: number): Promise<Delivery[]>;

  ping(): Promise<void>;
  close(): Promise<void>;
}
