export const DRONE_LOCKS = Symbol('DroneLocks');

/**
 * Mutual exclusion per drone between every processor (replicas and the concurrent jobs of one):
 * steps that read a drone's data and then write it must not interleave. Flight detection
 * rewrites a drone's flights; alert judging opens and resolves its alerts.
 */
export interface DroneLocks {
  /**
   * Runs `task` once for each drone, each while holding that drone's lock; drones whose lock is
   * held elsewhere are retried after the others, so a busy drone never blocks the rest. Rejects
   * with the first task error after every drone was attempted. Not re-entrant: a task must not
   * take the lock of its own drone again.
   */
  forEach(droneIds: string[], task: (droneId: string) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}
