import { Inject, Injectable } from '@nestjs/common';
import type { AlertEvent, AlertOutbox, AlertView } from '../alerts/index.js';
import { nameBasedId } from '../core/index.js';
import { WEBHOOK_REPOSITORY, type WebhookRepository } from './webhook.repository.port.js';
import type { Delivery } from './webhook.js';

/**
 * Turns an alert event into one pending delivery per subscribed webhook of the tenant, stored
 * before it returns; dispatchers in processor roles send them. An event may be enqueued again
 * (the alert announcer repeats what a crash left unannounced): the event id is derived from
 * (alert, event) and each delivery id from (alert, event, webhook), so the store keeps the first
 * copy and the receiver sees one event id, however often it was enqueued.
 *
 * Deliberately the store's deliveries table (polled under leases), not a Bull queue even when
 * Redis is configured: the outbox must be written atomically with the alert change, which a
 * queue in another system cannot be. The alert's own write records the pending event (see
 * AlertRepository); turning it into these rows can then be repeated safely after a crash.
 */
@Injectable()
export class WebhookOutbox implements AlertOutbox {
  private readonly listeners = new Set<() => void>();

  constructor(@Inject(WEBHOOK_REPOSITORY) private readonly repo: WebhookRepository) {}

  async enqueue(tenantId: string, event: AlertEvent, alert: AlertView): Promise<void> {
    const hooks = (await this.repo.listWebhooks(tenantId)).filter((w) => w.events.includes(event));
    if (hooks.length === 0) return;
    const now = Date.now();
    const eventId = nameBasedId(`dronetrack/webhook-event/${alert.id}/${event}`);
    const body = JSON.stringify({ id: eventId, type: event, createdAt: new Date(now).toISOString(), tenantId, alert });
    const deliveries: Delivery[] = hooks.map((w) => ({
      id: nameBasedId(`dronetrack/webhook-delivery/${alert.id}/${event}/${w.id}`),
      tenantId,
      webhookId: w.id,
      eventId,
      event,
      alertId: alert.id,
      status: 'pending',
      attempts: 0,
      lastStatusCode: null,
      lastError: null,
      createdAt: now,
      lastAttemptAt: null,
      nextAttemptAt: now,
      leaseUntil: 0,
      body,
    }));
    await this.repo.addDeliveries(deliveries);
    for (const l of this.listeners) l();
  }

  /** A dispatcher in this process wants to hear of new deliveries at once. */
  onEnqueued(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}
