import type { AlertEvent, AlertView } from './alert.js';

export const ALERT_OUTBOX = Symbol('AlertOutbox');

/**
 * Stores what must reach subscribers about an alert event (webhook deliveries). Implemented by the
 * webhooks module, bound by the composition root. The same (alert, event) may be enqueued again
 * after a crash (AlertAnnouncer): a repeat must add nothing.
 */
export interface AlertOutbox {
  enqueue(tenantId: string, event: AlertEvent, alert: AlertView): Promise<void>;
}
