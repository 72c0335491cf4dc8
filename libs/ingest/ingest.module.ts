import { Module } from '@nestjs/common';
import { LivePositionsModule } from '../live-positions/index.js';
import { DeviceKeyAuthenticator } from '../identity/index.js';
import { DeviceKeyGuard } from './device-key.guard.js';
import { IngestService } from './ingest.service.js';
import { TelemetryHttpController } from './telemetry.http.controller.js';

/** The ingest role: device-key auth, validation, deduplication, enqueueing and the live lane. */
@Module({
  imports: [LivePositionsModule],
  controllers: [TelemetryHttpController],
  providers: [IngestService, DeviceKeyAuthenticator, DeviceKeyGuard],
})
export class IngestModule {}
