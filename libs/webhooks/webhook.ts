import type { AlertEvent } from '../alerts/index.js';

/** A tenant's webhook as stored; the signing secret only sealed (see secret-box.ts). */
export interface Webhook {
  id: string;
  tenantId: string;
  url: string;
  events: AlertEvent[];
  description: string;
  createdAt: number;
  sealedSecret: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event for one webhook: its body is fixed at creation, so every attempt sends the same bytes and event id. */
export interface Delivery {
  id: string;
  tenantId: string;
  webhookId: string;
  eventId: string;
  event: AlertEvent;
  alertId: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: number;
  lastAttemptAt: number | null;
  nextAttemptAt: number | null;
  /** A dispatcher holds the delivery until then (0: free); a crashed one's lease simply runs out. */
  leaseUntil: number;
  body: string;
}

export const toWebhookView = (w: Webhook) => ({
  id: w.id,
  url: w.url,
  events: w.events,
  description: w.description,
  createdAt: new Date(w.createdAt).toISOString(),
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const toDeliveryView = (d: Delivery) => ({
  id: d.id,
  eventId: d.eventId,
  event: d.event,
  alertId: d.alertId,
  status: d.status,
  attempts: d.attempts,
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  createdAt: iso(d.createdAt),
  lastAttemptAt: iso(d.lastAttemptAt),
  nextAttemptAt: iso(d.nextAttemptAt),
});
