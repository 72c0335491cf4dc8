import type { AlertEvent, AlertView } from './alert.js';

export const ALERT_OUTBOX = Symbol('AlertOutbox');

/**
 * Stores what must reach subscribers at least once about an alert change (webhook deliveries)
 * before the change is announced. Implemented by the webhooks module, bound by the composition root.
 */
export interface AlertOutbox {
  enqueue(tenantId: string, event: AlertEvent, alert: AlertView): Promise<void>;
}
