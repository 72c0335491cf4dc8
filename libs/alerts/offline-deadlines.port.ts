export const OFFLINE_DEADLINES = Symbol('OfflineDeadlines');

/** A drone whose deadline passed, as claimed by one watcher. */
export interface DueDrone {
  tenantId: string;
  droneId: string;
  /** The deadline that passed (epoch ms); hand it back to `settle`. */
  dueAt: number;
}

/**
 * Per-drone "offline at" deadlines shared by every processor replica. A claim leases the entry,
 * so exactly one watcher handles a deadline at a time, and a watcher that dies before settling
 * loses nothing: the lease runs out and another claims it again.
 */
export interface OfflineDeadlines {
  /** True when deadlines survive a restart of this process (Redis); false: rebuild them from the store. */
  readonly durable: boolean;
  /** Moves each drone's deadline forward to dueAt (never back). */
  schedule(entries: DueDrone[]): Promise<void>;
  /** Claims up to `limit` entries due by `now`, leasing them until `leaseUntil`. */
  claimDue(now: number, leaseUntil: number, limit: number): Promise<DueDrone[]>;
  /** Done with a claim: removes the entry unless a later deadline was scheduled meanwhile. */
  settle(entry: DueDrone): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
