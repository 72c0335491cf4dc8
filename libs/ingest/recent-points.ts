/**
 * Remembers recently accepted (drone, timestamp) keys so a resent point is recognised at ingest
 * without a round trip. Bounded; older keys fall out and are then caught by the store's unique key.
 */
export class RecentPoints {
  private current = new Set<string>();
  private previous = new Set<string>();

  constructor(private readonly capacity = 200_000) {}

  has(key: string): boolean {
    return this.current.has(key) || this.previous.has(key);
  }

  add(key: string): void {
    this.current.add(key);
    // Two generations: O(1) eviction of the oldest half instead of a per-key LRU list.
    if (this.current.size >= this.capacity / 2) {
      this.previous = this.current;
      this.current = new Set();
    }
  }
}
