import type { DroneLocks } from '../drone-locks.port.js';
import { KeyedLock } from '../keyed-lock.js';

/** Locks within one process: enough when a single processor runs (the embedded default). */
export class InProcessDroneLocks implements DroneLocks {
  private readonly lock = new KeyedLock();

  async forEach(droneIds: string[], task: (droneId: string) => Promise<void>): Promise<void> {
    const results = await Promise.allSettled(droneIds.map((id) => this.lock.run(id, () => task(id))));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }

  async close(): Promise<void> {}
}
