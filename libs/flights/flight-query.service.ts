import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { NotFoundError, type Drone } from '../core/index.js';
import { withPointsJson, type JsonPieces } from '../ops/index.js';
import { IDENTITY_REPOSITORY, TELEMETRY_REPOSITORY, type IdentityRepository, type TelemetryRepository } from '../store/index.js';
import { toFlightView, type FlightRecord, type FlightView } from './flight.js';
import { FLIGHT_REPOSITORY, type FlightRepository } from './flight.repository.port.js';

export interface FlightListParams {
  droneId?: string;
  from: number;
  to: number;
  limit: number;
  after?: { startTs: number; id: string };
}

/** A flight of ~11 days at 1 Hz; longer ones are cut (no detected flight has come near it). */
const FLIGHT_TRACK_MAX_POINTS = 1_000_000;

/** Read side of flights, always scoped to one tenant: a foreign id is "not found". */
@Injectable()
export class FlightQueryService {
  readonly gapMs: number;

  constructor(
    @Inject(FLIGHT_REPOSITORY) private readonly flights: FlightRepository,
    @Inject(TELEMETRY_REPOSITORY) private readonly telemetry: TelemetryRepository,
    @Inject(IDENTITY_REPOSITORY) private readonly identity: IdentityRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.gapMs = config.flightGapSeconds * 1000;
  }

  async list(tenantId: string, p: FlightListParams): Promise<{ items: FlightView[]; last: FlightRecord | null }> {
    if (p.droneId) await this.drone(tenantId, p.droneId);
    // One extra row tells whether another page exists, so the last page has no cursor.
    const rows = await this.flights.list({ tenantId, droneId: p.droneId, from: p.from, to: p.to, limit: p.limit + 1, after: p.after });
    const page = rows.slice(0, p.limit);
    return { items: await this.views(tenantId, page), last: rows.length > p.limit ? page[page.length - 1] : null };
  }

  async detail(tenantId: string, id: string): Promise<FlightView> {
    return (await this.views(tenantId, [await this.record(tenantId, id)]))[0];
  }

  /** All of the flight's points; the bound only guards against a runaway read. */
  async track(tenantId: string, id: string): Promise<JsonPieces> {
    const f = await this.record(tenantId, id);
    const q = { tenantId, droneId: f.droneId, from: f.startTs, to: f.endTs, limit: FLIGHT_TRACK_MAX_POINTS };
    return withPointsJson({ flightId: f.id, droneId: f.droneId }, await this.telemetry.trackJson(q));
  }

  async record(tenantId: string, id: string): Promise<FlightRecord> {
    const f = await this.flights.get(tenantId, id);
    if (!f) throw new NotFoundError('flight');
    return f;
  }

  /** History outlives deletion, so a deleted drone of the tenant is found too. */
  async drone(tenantId: string, droneId: string): Promise<Drone> {
    const drone = await this.identity.findDrone(tenantId, droneId, { includeDeleted: true });
    if (!drone) throw new NotFoundError('drone');
    return drone;
  }

  /** `ongoing` compares each flight's end with its drone's newest point (the state's timestamp). */
  private async views(tenantId: string, flights: FlightRecord[]): Promise<FlightView[]> {
    if (flights.length === 0) return [];
    const states = await this.telemetry.getStates(tenantId, [...new Set(flights.map((f) => f.droneId))]);
    const now = Date.now();
    return flights.map((f) => toFlightView(f, states.get(f.droneId)?.ts ?? null, now, this.gapMs));
  }
}
