import { Module } from '@nestjs/common';
import { LivePositionsModule } from '../live-positions/index.js';
import { DeviceKeyAuthenticator } from '../identity/index.js';
import { IngestService } from './ingest.service.js';
import { TelemetryHttpRoute } from './telemetry.http.route.js';

/** The ingest role: device-key auth, validation, deduplication, enqueueing and the live lane. */
@Module({
  imports: [LivePositionsModule],
  // The telemetry route is a Fastify route, not a controller (see TelemetryHttpRoute).
  providers: [IngestService, DeviceKeyAuthenticator, TelemetryHttpRoute],
})
export class IngestModule {}
