import { Module } from '@nestjs/common';
import { GeofenceIndexCache } from '../geofences/geofence-index.cache.js';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.js';
import { AlertEngine } from './alert-engine.js';
import { AlertNotifierModule } from './alert-notifier.module.js';
import { OfflineWatcher } from './offline-watcher.js';

/**
 * Processor role: judging points (AlertEngine, the processor's hook), offline deadlines and
 * webhook deliveries. Imported by ProcessingModule.
 */
@Module({
  imports: [AlertNotifierModule],
  providers: [AlertEngine, GeofenceIndexCache, OfflineWatcher, WebhookDispatcher],
  exports: [AlertEngine],
})
export class AlertProcessingModule {}
