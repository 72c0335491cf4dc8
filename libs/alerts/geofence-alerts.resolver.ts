import { Inject, Injectable } from '@nestjs/common';
import { appliesTo, type Geofence, type GeofenceChangeHook } from '../geofences/index.js';
import { ALERT_REPOSITORY, type AlertRepository } from './alert.repository.port.js';
import { AlertNotifier } from './alert-notifier.js';

/** Resolves a geofence's open alerts once it no longer applies to their drone (deleted, inactive, drone removed). */
@Injectable()
export class GeofenceAlertsResolver implements GeofenceChangeHook {
  constructor(
    @Inject(ALERT_REPOSITORY) private readonly alerts: AlertRepository,
    private readonly notifier: AlertNotifier,
  ) {}

  async changed(previous: Geofence, next: Geofence | null): Promise<void> {
    for (const alert of await this.alerts.findOpenOfGeofence(previous.tenantId, previous.id)) {
      if (next && next.active && appliesTo(next, alert.droneId)) continue;
      const resolved = await this.alerts.resolve(previous.tenantId, alert.id, Date.now());
      if (resolved) await this.notifier.announceNow(resolved);
    }
  }
}
