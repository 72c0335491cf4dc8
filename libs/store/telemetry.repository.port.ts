import type { DroneState, TelemetryPoint } from '../core/index.js';

export const TELEMETRY_REPOSITORY = Symbol('TelemetryRepository');

export interface TrackQuery {
  tenantId: string;
  droneId: string;
  from: number;
  to: number;
  limit: number;
}

/**
 * History and latest state per drone. Writes are idempotent so a job can run twice:
 * a (drone, timestamp) is stored once, and a state never moves back in time.
 */
export interface TelemetryRepository {
  /**
   * Stores points not stored yet; returns the ones that were new (each once), so derived data
   * (flights) is computed from what changed, not from the whole job.
   */
  insertHistory(points: TelemetryPoint[]): Promise<TelemetryPoint[]>;
  /**
   * Sets each drone's state to the candidate when it is newer than the stored one.
   * Returns the candidates that were applied.
   */
  applyStates(candidates: DroneState[]): Promise<DroneState[]>;
  getStates(tenantId: string, droneIds: string[]): Promise<Map<string, DroneState>>;
  /** All states, in pages, for warming the cache. */
  scanStates(after: string | null, limit: number): Promise<DroneState[]>;
  /** Points with from <= ts <= to, ascending by ts, at most limit. */
  track(query: TrackQuery): Promise<TelemetryPoint[]>;
  /** The same points as `track`, as the JSON that track responses send. */
  trackJson(query: TrackQuery): Promise<TrackJson>;
  /** Retention: removes history older than the cut-off; returns how many went. */
  deleteHistoryBefore(ts: number): Promise<number>;

  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A track as the contract's JSON array of Point in UTF-8, in pieces to be sent one after the
 * other (joining them would copy the body).
 */
export interface TrackJson {
  pieces: Buffer[];
  /**
   * Gives back pooled memory the pieces may be views of: call it once they are sent or dropped,
   * and not use them after. Idempotent.
   */
  release(): void;
}
