import { Module } from '@nestjs/common';
import { GeofenceIndexCache } from '../geofences/index.js';
import { AlertEngine } from './alert-engine.js';
import { AlertNotifierModule } from './alert-notifier.module.js';
import { OfflineWatcher } from './offline-watcher.js';

/**
 * Processor role: judging points (AlertEngine, the processor's hook) and offline deadlines.
 * Imported by ProcessingModule.
 */
@Module({
  imports: [AlertNotifierModule],
  providers: [AlertEngine, GeofenceIndexCache, OfflineWatcher],
  exports: [AlertEngine],
})
export class AlertProcessingModule {}
