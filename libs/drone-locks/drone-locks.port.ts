export const DRONE_LOCKS = Symbol('DroneLocks');

/**
 * Mutual exclusion per drone between every processor that updates flights: a detection step
 * reads a drone's flights, then rewrites them, and two steps of one drone must not interleave.
 */
export interface DroneLocks {
  /**
   * Runs `task` once for each drone, each while holding that drone's lock; drones whose lock is
   * held elsewhere are retried after the others, so a busy drone never blocks the rest. Rejects
   * with the first task error after every drone was attempted.
   */
  forEach(droneIds: string[], task: (droneId: string) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}
