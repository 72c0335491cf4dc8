/**
 * Remembers recently accepted (drone, timestamp) pairs so a resent point is recognised at ingest
 * without a round trip. Bounded; older pairs fall out and are then caught by the store's unique key.
 *
 * Exact (no hashing of the pair into fewer bits: a false "seen" would drop a real point), and
 * free of per-point objects: two generations of open-addressing tables in typed arrays, keyed by
 * a small number per drone and the timestamp. A Set of "drone|ts" strings held 200,000 strings
 * (~24 MB of old generation after a 10 M-point run) that every full garbage collection had to
 * mark, and cost one string per ingested point.
 */
export class RecentPoints {
  /** Drone id → its number in the tables (1-based: 0 marks an empty slot). */
  private readonly droneNumbers = new Map<string, number>();
  // Allocated on the first point (6 MB at the default capacity): roles that never ingest pay nothing.
  private current: PairTable | null = null;
  private previous: PairTable | null = null;

  /** Remembers between capacity / 2 and capacity pairs. */
  constructor(private readonly capacity = 262_144) {}

  has(droneId: string, ts: number): boolean {
    const drone = this.droneNumbers.get(droneId);
    return drone !== undefined && (this.current!.has(drone, ts) || this.previous!.has(drone, ts));
  }

  add(droneId: string, ts: number): void {
    this.current ??= new PairTable(this.capacity);
    this.previous ??= new PairTable(this.capacity);
    let drone = this.droneNumbers.get(droneId);
    if (drone === undefined) {
      // Bounded like the pairs: past this many drones, start over (a miss is only a store lookup).
      if (this.droneNumbers.size >= this.capacity) this.clear();
      drone = this.droneNumbers.size + 1;
      this.droneNumbers.set(droneId, drone);
    }
    if (this.current.has(drone, ts)) return;
    // Two generations: the oldest half goes at once instead of per-pair LRU bookkeeping.
    if (this.current.size >= this.capacity / 2) {
      const emptied = this.previous;
      emptied.clear();
      this.previous = this.current;
      this.current = emptied;
    }
    this.current.insert(drone, ts);
  }

  private clear(): void {
    this.droneNumbers.clear();
    this.current?.clear();
    this.previous?.clear();
  }
}

/** An open-addressing set of (drone number, ts) pairs, at most half full. */
class PairTable {
  private readonly drones: Int32Array;
  private readonly stamps: Float64Array;
  private readonly mask: number;
  size = 0;

  constructor(capacity: number) {
    let slots = 1;
    while (slots < capacity) slots *= 2;
    this.drones = new Int32Array(slots);
    this.stamps = new Float64Array(slots);
    this.mask = slots - 1;
  }

  has(drone: number, ts: number): boolean {
    for (let i = this.slot(drone, ts); this.drones[i] !== 0; i = (i + 1) & this.mask) {
      if (this.drones[i] === drone && this.stamps[i] === ts) return true;
    }
    return false;
  }

  /** Adds a pair known to be absent. */
  insert(drone: number, ts: number): void {
    let i = this.slot(drone, ts);
    while (this.drones[i] !== 0) i = (i + 1) & this.mask;
    this.drones[i] = drone;
    this.stamps[i] = ts;
    this.size++;
  }

  clear(): void {
    this.drones.fill(0);
    this.size = 0;
  }

  private slot(drone: number, ts: number): number {
    // Both 32-bit halves of the millisecond timestamp, mixed with the drone (murmur3 finaliser).
    let h = Math.imul(ts >>> 0, 0xcc9e2d51) ^ Math.imul((ts / 4294967296) | 0, 0x1b873593) ^ Math.imul(drone, 0x9e3779b1);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    return h & this.mask;
  }
}
