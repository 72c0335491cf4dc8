import { Module } from '@nestjs/common';
import { LivePositionsModule } from '../live-positions/index.js';
import { ProcessingWorker } from './processing.worker.js';
import { TelemetryProcessor } from './telemetry.processor.js';

/** The processor role: consumes the queue into history, state, cache and events. */
@Module({ imports: [LivePositionsModule], providers: [TelemetryProcessor, ProcessingWorker] })
export class ProcessingModule {}
