import { Module } from '@nestjs/common';
import { GeofenceIndexCache } from '../geofences/index.js';
import { AlertAnnouncer } from './alert-announcer.js';
import { AlertEngine } from './alert-engine.js';
import { AlertNotifierModule } from './alert-notifier.module.js';
import { OfflineWatcher } from './offline-watcher.js';

/**
 * Processor role: judging points (AlertEngine, the processor's hook), offline deadlines, and
 * announcing what a crash left pending (AlertAnnouncer). Imported by ProcessingModule.
 */
@Module({
  imports: [AlertNotifierModule],
  providers: [AlertEngine, GeofenceIndexCache, OfflineWatcher, AlertAnnouncer],
  exports: [AlertEngine],
})
export class AlertProcessingModule {}
