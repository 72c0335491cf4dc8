import RBush from 'rbush';
import type { BBox } from '../../core/index.js';
import type { LiveDrone } from '../live-map.cache.port.js';

/** An R-tree entry: a drone's latest position as a zero-size rectangle. */
interface Entry {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  drone: LiveDrone;
}

/** RBush's documented tree format (`toJSON()`): leaves hold entries, inner nodes hold nodes. */
interface TreeNode {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  leaf: boolean;
  children: (TreeNode | Entry)[];
}

/**
 * One tenant's live drones: a Map by id for reads and an R-tree (rbush) for boxes, so a bbox
 * search costs what it returns (plus the tree's depth), not what the tenant has.
 */
export class TenantGeoIndex {
  private readonly byId = new Map<string, Entry>();
  private readonly tree = new RBush<Entry>();

  get size(): number {
    return this.byId.size;
  }

  get(droneId: string): LiveDrone | undefined {
    return this.byId.get(droneId)?.drone;
  }

  /**
   * Keeps the newest state; equal timestamps replace (a re-put may carry a new name).
   * Returns whether the state moved forward (new drone or strictly newer).
   */
  put(drone: LiveDrone): boolean {
    const entry = this.byId.get(drone.droneId);
    if (!entry) {
      const created = { minX: drone.lon, minY: drone.lat, maxX: drone.lon, maxY: drone.lat, drone };
      this.byId.set(drone.droneId, created);
      this.tree.insert(created);
      return true;
    }
    if (entry.drone.ts > drone.ts) return false;
    const forward = entry.drone.ts < drone.ts;
    if (entry.minX !== drone.lon || entry.minY !== drone.lat) {
      // rbush removes by reference, found through the entry's old rectangle.
      this.tree.remove(entry);
      entry.minX = entry.maxX = drone.lon;
      entry.minY = entry.maxY = drone.lat;
      this.tree.insert(entry);
    }
    entry.drone = drone;
    return forward;
  }

  remove(droneId: string): void {
    const entry = this.byId.get(droneId);
    if (!entry) return;
    this.tree.remove(entry);
    this.byId.delete(droneId);
  }

  /** Up to `limit` drones in the box (edges included), and whether more matched. */
  search(box: BBox, limit: number): { drones: LiveDrone[]; truncated: boolean } {
    const found: LiveDrone[] = [];
    const stack: TreeNode[] = [this.tree.toJSON() as TreeNode];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (!intersects(node, box)) continue;
      for (const child of node.children) {
        if (!node.leaf) {
          stack.push(child as TreeNode);
          continue;
        }
        if (!intersects(child, box)) continue;
        // One match beyond the limit is enough to know the answer was truncated.
        if (found.length === limit) return { drones: found, truncated: true };
        found.push((child as Entry).drone);
      }
    }
    return { drones: found, truncated: false };
  }
}

function intersects(r: { minX: number; minY: number; maxX: number; maxY: number }, b: BBox): boolean {
  return r.minX <= b.maxLon && r.maxX >= b.minLon && r.minY <= b.maxLat && r.maxY >= b.minLat;
}
