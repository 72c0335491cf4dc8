/**
 * Reusable memory for the decompressed history blocks of track reads (see brotliDecompressInto):
 * a few large slabs, allocated on first use and kept, lent to one read at a time and given back
 * once its response is sent. When all are lent, reads allocate as before.
 */
export class SlabPool {
  private readonly free: Buffer[] = [];
  private created = 0;

  constructor(
    readonly slabBytes = 2 * 1024 * 1024,
    private readonly maxSlabs = 8,
  ) {}

  lease(): SlabLease {
    return new SlabLease(this);
  }

  take(): Buffer | null {
    const slab = this.free.pop();
    if (slab) return slab;
    if (this.created >= this.maxSlabs) return null;
    this.created++;
    return Buffer.allocUnsafeSlow(this.slabBytes);
  }

  give(slab: Buffer): void {
    this.free.push(slab);
  }
}

/** The slabs one read has taken; `release` gives them back (once, whatever the number of calls). */
export class SlabLease {
  private readonly slabs: Buffer[] = [];
  private used = 0;
  private released = false;

  constructor(private readonly pool: SlabPool) {}

  /** `bytes` of pooled memory, or null when the pool has none left (or it would not fit a slab). */
  alloc(bytes: number): Buffer | null {
    if (this.released || bytes > this.pool.slabBytes) return null;
    let slab = this.slabs.at(-1);
    if (!slab || this.used + bytes > slab.length) {
      slab = this.pool.take() ?? undefined;
      if (!slab) return null;
      this.slabs.push(slab);
      this.used = 0;
    }
    const out = slab.subarray(this.used, this.used + bytes);
    this.used += bytes;
    return out;
  }

  readonly release = (): void => {
    if (this.released) return;
    this.released = true;
    for (const slab of this.slabs.splice(0)) this.pool.give(slab);
  };
}
