import { Global, Module } from '@nestjs/common';
import { ALERT_OUTBOX, AlertNotifierModule, GeofenceAlertsResolver } from '../libs/alerts/index.js';
import { GEOFENCE_CHANGE_HOOK } from '../libs/geofences/index.js';
import { WebhookOutbox } from '../libs/webhooks/index.js';

/**
 * Binds the ports the alerting modules declare for one another, so none imports another's
 * internals: alerts store their at-least-once news in the webhook outbox, and a geofence change
 * resolves the geofence's open alerts. For the roles that change alerts or geofences.
 */
@Global()
@Module({
  imports: [AlertNotifierModule],
  providers: [
    WebhookOutbox,
    { provide: ALERT_OUTBOX, useExisting: WebhookOutbox },
    { provide: GEOFENCE_CHANGE_HOOK, useExisting: GeofenceAlertsResolver },
  ],
  exports: [WebhookOutbox, ALERT_OUTBOX, GEOFENCE_CHANGE_HOOK],
})
export class AlertingWiringModule {}
