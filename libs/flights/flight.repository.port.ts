import type { FlightRecord } from './flight.js';

export const FLIGHT_REPOSITORY = Symbol('FlightRepository');

export interface FlightListQuery {
  tenantId: string;
  droneId?: string;
  /** Flights overlapping [from, to]: startTs <= to and endTs >= from. */
  from: number;
  to: number;
  limit: number;
  /** Newest first by (startTs, id) descending; `after` is the last item of the previous page. */
  after?: { startTs: number; id: string };
}

/** The newest point a detection step has taken into a drone's flights (it only moves forward). */
export interface DroneTail {
  droneId: string;
  ts: number;
  inAir: boolean;
}

/** What one detection step changes for one drone: applied as upserts, then removals, then the tail. */
export interface FlightChange {
  upsert: FlightRecord[];
  remove: string[];
  tail?: DroneTail;
}

/**
 * Stored flight summaries. Flights of one drone never overlap in time; the detector keeps that
 * true by rewriting every flight a change touches, so adapters only store and index.
 */
export interface FlightRepository {
  /** The drone's flights overlapping [from, to], ascending by startTs. */
  overlapping(droneId: string, from: number, to: number): Promise<FlightRecord[]>;
  /** The drone's tail, or null before its first detection step. */
  tail(droneId: string): Promise<DroneTail | null>;
  /**
   * Writes upserts (by id), then removals, then the tail: a crash in between leaves overlaps the
   * detector heals, or an old tail (the next step then takes the full path), never gaps.
   */
  apply(change: FlightChange): Promise<void>;
  /** A flight of this tenant, or null (a foreign id is null too). */
  get(tenantId: string, id: string): Promise<FlightRecord | null>;
  list(query: FlightListQuery): Promise<FlightRecord[]>;
  /** Retention: removes flights that ended before the cut-off; returns how many went. */
  deleteEndedBefore(ts: number): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
