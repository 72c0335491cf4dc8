import type { DueDrone, OfflineDeadlines } from '../offline-deadlines.port.js';

interface Entry {
  tenantId: string;
  droneId: string;
  dueAt: number;
  /** When it may be claimed: dueAt, or the end of a lease. */
  claimableAt: number;
}

/** Deadlines in one process (single-node deployments). Lost on restart: the watcher rebuilds them from the stored states. */
export class InProcessOfflineDeadlines implements OfflineDeadlines {
  readonly durable = false;
  private readonly entries = new Map<string, Entry>();

  async schedule(list: DueDrone[]): Promise<void> {
    for (const e of list) {
      const current = this.entries.get(e.droneId);
      if (current && current.dueAt >= e.dueAt) continue;
      this.entries.set(e.droneId, { ...e, claimableAt: e.dueAt });
    }
  }

  async claimDue(now: number, leaseUntil: number, limit: number): Promise<DueDrone[]> {
    const out: DueDrone[] = [];
    for (const e of this.entries.values()) {
      if (out.length >= limit) break;
      if (e.claimableAt > now) continue;
      e.claimableAt = leaseUntil;
      out.push({ tenantId: e.tenantId, droneId: e.droneId, dueAt: e.dueAt });
    }
    return out;
  }

  async settle(entry: DueDrone): Promise<void> {
    const current = this.entries.get(entry.droneId);
    if (current && current.dueAt === entry.dueAt) this.entries.delete(entry.droneId);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.entries.clear();
  }
}
