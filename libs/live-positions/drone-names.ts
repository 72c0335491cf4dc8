import type { IdentityRepository } from '../store/index.js';

const MAX = 200_000;

/**
 * Names of live drones, cached in-process: names never change, so only deletion evicts them.
 * A drone missing from the result is deleted (or unknown).
 */
export class DroneNames {
  private readonly cache = new Map<string, string>();

  constructor(private readonly identity: IdentityRepository) {}

  async get(tenantId: string, droneIds: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const missing: string[] = [];
    for (const id of droneIds) {
      const name = this.cache.get(id);
      if (name === undefined) missing.push(id);
      else out.set(id, name);
    }
    if (missing.length > 0) {
      const found = await this.identity.droneNames(tenantId, missing);
      if (this.cache.size + found.size > MAX) this.cache.clear();
      for (const [id, name] of found) {
        this.cache.set(id, name);
        out.set(id, name);
      }
    }
    return out;
  }

  forget(droneId: string): void {
    this.cache.delete(droneId);
  }
}
