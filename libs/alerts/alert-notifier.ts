import { Inject, Injectable } from '@nestjs/common';
import { ROLE_EVENTS, type RoleEvents } from '../events/index.js';
import type { AlertChanged } from './alerts.events.js';
import { ALERT_OUTBOX, type AlertOutbox } from './alert-outbox.port.js';
import { toAlertView, type Alert, type AlertEvent } from './alert.js';

/**
 * Tells the world an alert changed: map streams (through role events, at most once) and the
 * tenant's webhooks (a stored delivery, at least once).
 */
@Injectable()
export class AlertNotifier {
  constructor(
    @Inject(ROLE_EVENTS) private readonly events: RoleEvents,
    @Inject(ALERT_OUTBOX) private readonly outbox: AlertOutbox,
  ) {}

  async changed(event: AlertEvent, alert: Alert): Promise<void> {
    const view = toAlertView(alert);
    await Promise.all([
      this.outbox.enqueue(alert.tenantId, event, view),
      this.events.publish<AlertChanged>({ type: 'alert.changed', tenantId: alert.tenantId, event, alert: view }),
    ]);
  }
}
