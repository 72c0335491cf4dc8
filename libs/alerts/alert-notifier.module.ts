import { Module } from '@nestjs/common';
import { AlertNotifier } from './alert-notifier.js';
import { GeofenceAlertsResolver } from './geofence-alerts.resolver.js';

/**
 * Announcing alert changes (streams and the alert outbox), shared by the web and processor roles.
 * ALERT_OUTBOX comes from the composition root (the webhooks module implements it).
 */
@Module({ providers: [AlertNotifier, GeofenceAlertsResolver], exports: [AlertNotifier, GeofenceAlertsResolver] })
export class AlertNotifierModule {}
