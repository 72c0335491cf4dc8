import { Inject, Injectable } from '@nestjs/common';
import { ROLE_EVENTS, type RoleEvents } from '../events/index.js';
import { APP_LOGGER, type JsonLogger } from '../ops/index.js';
import type { AlertChanged } from './alerts.events.js';
import { ALERT_OUTBOX, type AlertOutbox } from './alert-outbox.port.js';
import { ALERT_REPOSITORY, type AlertRepository } from './alert.repository.port.js';
import { toAlertView, type Alert } from './alert.js';

/**
 * Tells the world an alert changed: announces its pending events, oldest first, to map streams
 * (a role event) and to the tenant's webhooks (stored deliveries), then marks them announced.
 * The store wrote each event as pending together with the change, so nothing is lost if this
 * process dies first or announcing fails: AlertAnnouncer (processor role) announces what stays
 * pending. Hence at least once: a stream may see an event twice after a crash (clients key
 * alerts by id, so a repeat changes nothing), while webhook deliveries are not repeated (their
 * ids derive from alert, event and webhook). A late announcement carries the alert as it is now.
 */
@Injectable()
export class AlertNotifier {
  constructor(
    @Inject(ROLE_EVENTS) private readonly events: RoleEvents,
    @Inject(ALERT_OUTBOX) private readonly outbox: AlertOutbox,
    @Inject(ALERT_REPOSITORY) private readonly alerts: AlertRepository,
    @Inject(APP_LOGGER) private readonly logger: JsonLogger,
  ) {}

  /** Announces the pending events; rejects (leaving them pending) when any step fails. */
  async announce(alert: Alert): Promise<void> {
    if (alert.pending.length === 0) return;
    const view = toAlertView(alert);
    for (const event of alert.pending) {
      await Promise.all([
        this.outbox.enqueue(alert.tenantId, event, view),
        this.events.publish<AlertChanged>({ type: 'alert.changed', tenantId: alert.tenantId, event, alert: view }),
      ]);
    }
    await this.alerts.markAnnounced(alert.tenantId, alert.id, alert.pending);
  }

  /** Right after a change: the change is stored either way, so a failure is logged and left to the announcer. */
  async announceNow(alert: Alert): Promise<void> {
    try {
      await this.announce(alert);
    } catch (err) {
      this.logger.event('warn', 'alert change not announced yet; the announcer repeats it', { alertId: alert.id, err: String(err) });
    }
  }
}
