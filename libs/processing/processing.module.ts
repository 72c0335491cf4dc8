import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { AlertProcessingModule } from '../alerts/index.js';
import { LivePositionsModule } from '../live-positions/index.js';
import { DRONE_LOCKS, type DroneLocks } from '../drone-locks/index.js';
import { FLIGHT_REPOSITORY, FlightDetector, type FlightRepository } from '../flights/index.js';
import { TELEMETRY_REPOSITORY, type TelemetryRepository } from '../store/index.js';
import { ProcessingWorker } from './processing.worker.js';
import { TelemetryProcessor } from './telemetry.processor.js';

/** The processor role: consumes the queue into history, alerts, state, flights, cache and events. */
@Module({
  imports: [LivePositionsModule, AlertProcessingModule],
  providers: [
    TelemetryProcessor,
    ProcessingWorker,
    {
      provide: FlightDetector,
      inject: [FLIGHT_REPOSITORY, TELEMETRY_REPOSITORY, APP_CONFIG, DRONE_LOCKS],
      useFactory: (flights: FlightRepository, telemetry: TelemetryRepository, config: AppConfig, locks: DroneLocks) =>
        new FlightDetector(flights, telemetry, config.flightGapSeconds * 1000, locks),
    },
  ],
})
export class ProcessingModule {}
