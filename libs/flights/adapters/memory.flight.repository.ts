import type { FlightRecord } from '../flight.js';
import type { DroneTail, FlightChange, FlightListQuery, FlightRepository } from '../flight.repository.port.js';

const clone = (f: FlightRecord): FlightRecord => ({ ...f, bbox: [...f.bbox], first: { ...f.first }, last: { ...f.last } });
const newestFirst = (a: FlightRecord, b: FlightRecord) => b.startTs - a.startTs || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * Flights in memory, for tests and development; lost on restart. Lists scan all flights,
 * which is fine at development sizes (the SQLite and MongoDB adapters index them).
 */
export class MemoryFlightRepository implements FlightRepository {
  private readonly byId = new Map<string, FlightRecord>();
  private readonly byDrone = new Map<string, Set<string>>();
  private readonly tails = new Map<string, DroneTail>();

  async tail(droneId: string): Promise<DroneTail | null> {
    const t = this.tails.get(droneId);
    return t ? { ...t } : null;
  }

  async overlapping(droneId: string, from: number, to: number): Promise<FlightRecord[]> {
    const ids = this.byDrone.get(droneId) ?? new Set<string>();
    return [...ids]
      .map((id) => this.byId.get(id)!)
      .filter((f) => f.startTs <= to && f.endTs >= from)
      .sort((a, b) => a.startTs - b.startTs)
      .map(clone);
  }

  async apply(change: FlightChange): Promise<void> {
    for (const f of change.upsert) {
      this.byId.set(f.id, clone(f));
      let ids = this.byDrone.get(f.droneId);
      if (!ids) this.byDrone.set(f.droneId, (ids = new Set()));
      ids.add(f.id);
    }
    for (const id of change.remove) {
      const f = this.byId.get(id);
      if (!f) continue;
      this.byId.delete(id);
      this.byDrone.get(f.droneId)?.delete(id);
    }
    if (change.tail) this.tails.set(change.tail.droneId, { ...change.tail });
  }

  async get(tenantId: string, id: string): Promise<FlightRecord | null> {
    const f = this.byId.get(id);
    return f && f.tenantId === tenantId ? clone(f) : null;
  }

  async list(q: FlightListQuery): Promise<FlightRecord[]> {
    const source = q.droneId ? [...(this.byDrone.get(q.droneId) ?? [])].map((id) => this.byId.get(id)!) : [...this.byId.values()];
    const after = q.after;
    return source
      .filter((f) => f.tenantId === q.tenantId && f.startTs <= q.to && f.endTs >= q.from)
      .filter((f) => !after || f.startTs < after.startTs || (f.startTs === after.startTs && f.id < after.id))
      .sort(newestFirst)
      .slice(0, q.limit)
      .map(clone);
  }

  async deleteEndedBefore(ts: number): Promise<number> {
    const old = [...this.byId.values()].filter((f) => f.endTs < ts).map((f) => f.id);
    await this.apply({ upsert: [], remove: old });
    return old.length;
  }

  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}
