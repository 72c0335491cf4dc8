import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '../core/index.js';
import type { Alert } from './alert.js';
import { ALERT_REPOSITORY, type AlertPage, type AlertQuery, type AlertRepository } from './alert.repository.port.js';
import { AlertNotifier } from './alert-notifier.js';

/** Alert reads and acknowledgement for the web role. */
@Injectable()
export class AlertsService {
  constructor(
    @Inject(ALERT_REPOSITORY) private readonly alerts: AlertRepository,
    private readonly notifier: AlertNotifier,
  ) {}

  list(query: AlertQuery): Promise<AlertPage> {
    return this.alerts.list(query);
  }

  async get(tenantId: string, id: string): Promise<Alert> {
    const alert = await this.alerts.get(tenantId, id);
    if (!alert) throw new NotFoundError('alert');
    return alert;
  }

  /** The first acknowledgement is recorded and announced; a later one returns the alert unchanged. */
  async acknowledge(tenantId: string, id: string, userId: string): Promise<Alert> {
    const result = await this.alerts.acknowledge(tenantId, id, userId, Date.now());
    if (!result) throw new NotFoundError('alert');
    if (result.changed) await this.notifier.announceNow(result.alert);
    return result.alert;
  }
}
