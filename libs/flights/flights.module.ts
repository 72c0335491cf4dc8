import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/index.js';
import { DroneTrackExportHttpController } from './drone-track-export.http.controller.js';
import { FlightExportService } from './flight-export.service.js';
import { FlightQueryService } from './flight-query.service.js';
import { FlightsHttpController } from './flights.http.controller.js';

/** Flights and exports (web role): the flight log, flight tracks and export files. */
@Module({
  imports: [IdentityModule],
  controllers: [FlightsHttpController, DroneTrackExportHttpController],
  providers: [FlightQueryService, FlightExportService],
})
export class FlightsModule {}
