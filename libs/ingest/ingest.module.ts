import { Module } from '@nestjs/common';
import { DeviceKeyAuthenticator } from '../identity/device-key.authenticator.js';
import { DeviceKeyGuard } from './device-key.guard.js';
import { IngestService } from './ingest.service.js';
import { TelemetryHttpController } from './telemetry.http.controller.js';

/** The ingest role: device-key auth, validation, deduplication and enqueueing. */
@Module({
  controllers: [TelemetryHttpController],
  providers: [IngestService, DeviceKeyAuthenticator, DeviceKeyGuard],
})
export class IngestModule {}
