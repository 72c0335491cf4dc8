import { Module } from '@nestjs/common';
import { AlertProcessingModule } from '../alerts/index.js';
import { ProcessingWorker } from './processing.worker.js';
import { TelemetryProcessor } from './telemetry.processor.js';

/** The processor role: consumes the queue into history, state, cache and events. */
@Module({ imports: [AlertProcessingModule], providers: [TelemetryProcessor, ProcessingWorker] })
export class ProcessingModule {}
