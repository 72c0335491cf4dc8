import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI description of the flight responses (documentation only; views are built in flight.ts). */
export class FlightDoc {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) droneId!: string;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ format: 'date-time' }) endedAt!: string;
  @ApiProperty({ description: "the flight's last point is its drone's newest point and younger than FLIGHT_GAP_SECONDS" })
  ongoing!: boolean;
  @ApiProperty() durationSeconds!: number;
  @ApiProperty({ description: 'great-circle sum between consecutive points' }) distanceMeters!: number;
  @ApiProperty({ type: Number, nullable: true }) maxAltitude!: number | null;
  @ApiProperty({ type: Number, nullable: true }) maxHeightAgl!: number | null;
  @ApiProperty({ type: Number, nullable: true }) maxSpeed!: number | null;
  @ApiProperty({ type: Number, nullable: true }) batteryStart!: number | null;
  @ApiProperty({ type: Number, nullable: true }) batteryEnd!: number | null;
  @ApiProperty({ type: 'integer' }) points!: number;
  @ApiProperty({ type: [Number], minItems: 4, maxItems: 4, description: '[minLon, minLat, maxLon, maxLat]' }) bbox!: number[];
}

export class FlightPageDoc {
  @ApiProperty({ type: [FlightDoc] }) items!: FlightDoc[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class FlightTrackDoc {
  @ApiProperty({ format: 'uuid' }) flightId!: string;
  @ApiProperty({ format: 'uuid' }) droneId!: string;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Points, ascending by timestamp' }) points!: object[];
}
