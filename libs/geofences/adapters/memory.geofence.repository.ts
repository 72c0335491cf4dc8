import { DocumentMap } from '../../memory/index.js';
import type { Geofence } from '../geofence.js';
import type { GeofencePage, GeofenceRepository } from '../geofence.repository.port.js';

const byPosition = (a: { createdAt: number; id: string }, b: { createdAt: number; id: string }) =>
  a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Geofences in memory (tests, development). */
export class MemoryGeofenceRepository implements GeofenceRepository {
  private readonly docs = new DocumentMap<Geofence>();

  async create(g: Geofence): Promise<void> {
    await this.docs.put(structuredClone(g));
  }

  async find(tenantId: string, id: string): Promise<Geofence | null> {
    const g = this.docs.get(id);
    return g && g.tenantId === tenantId ? structuredClone(g) : null;
  }

  async list(tenantId: string, limit: number, after?: { createdAt: number; id: string }): Promise<GeofencePage> {
    const all = this.ofTenant(tenantId).filter((g) => !after || byPosition(g, after) > 0);
    const items = all.slice(0, limit).map((g) => structuredClone(g));
    const last = items[items.length - 1];
    return { items, next: all.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null };
  }

  async listAll(tenantId: string): Promise<Geofence[]> {
    return this.ofTenant(tenantId).map((g) => structuredClone(g));
  }

  async count(tenantId: string): Promise<number> {
    return this.ofTenant(tenantId).length;
  }

  async update(g: Geofence): Promise<boolean> {
    const current = this.docs.get(g.id);
    if (!current || current.tenantId !== g.tenantId) return false;
    await this.docs.put(structuredClone(g));
    return true;
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const current = this.docs.get(id);
    if (!current || current.tenantId !== tenantId) return false;
    return this.docs.delete(id);
  }

  async ping(): Promise<void> {
    // Memory always answers.
  }

  async close(): Promise<void> {
    this.docs.close();
  }

  private ofTenant(tenantId: string): Geofence[] {
    return [...this.docs.values()].filter((g) => g.tenantId === tenantId).sort(byPosition);
  }
}
