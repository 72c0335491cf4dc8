import { RecentPoints } from '../../libs/ingest/recent-points.js';

describe('RecentPoints (ingest de-duplication memory)', () => {
  it('knows the pairs it was given, and only those', () => {
    const recent = new RecentPoints(1024);
    recent.add('drone-a', 1_700_000_000_000);
    expect(recent.has('drone-a', 1_700_000_000_000)).toBe(true);
    expect(recent.has('drone-a', 1_700_000_000_001)).toBe(false);
    expect(recent.has('drone-b', 1_700_000_000_000)).toBe(false);
    // The same low 32 bits, another high half: a different timestamp.
    expect(recent.has('drone-a', 1_700_000_000_000 + 2 ** 32)).toBe(false);
  });

  it('is exact for every pair it still holds (no false "seen" among neighbouring keys)', () => {
    const recent = new RecentPoints(65_536);
    const base = 1_764_000_000_000;
    for (let d = 0; d < 16; d++) for (let i = 0; i < 2000; i++) recent.add(`drone-${d}`, base + i * 1000);
    let found = 0;
    let falseHits = 0;
    for (let d = 0; d < 16; d++) {
      for (let i = 0; i < 2000; i++) {
        if (recent.has(`drone-${d}`, base + i * 1000)) found++;
        if (recent.has(`drone-${d}`, base + i * 1000 + 1)) falseHits++;
      }
    }
    expect({ found, falseHits }).toEqual({ found: 32_000, falseHits: 0 });
    expect(recent.has('drone-16', base)).toBe(false);
  });

  it('keeps at least the newest half of its capacity and forgets the oldest pairs', () => {
    const recent = new RecentPoints(1000);
    for (let ts = 0; ts < 5000; ts++) recent.add('d', ts);
    for (let ts = 4500; ts < 5000; ts++) expect(recent.has('d', ts)).toBe(true);
    expect(recent.has('d', 0)).toBe(false);
    expect(recent.has('d', 3000)).toBe(false);
  });

  it('adding a pair twice keeps it once', () => {
    const recent = new RecentPoints(8);
    for (let i = 0; i < 10; i++) recent.add('d', 42);
    for (let ts = 0; ts < 3; ts++) recent.add('d', ts);
    expect(recent.has('d', 42)).toBe(true);
  });

  it('stays bounded in drones too, starting over past its capacity', () => {
    const recent = new RecentPoints(4);
    for (let d = 0; d < 10; d++) recent.add(`drone-${d}`, 1);
    expect(recent.has('drone-9', 1)).toBe(true);
    expect(recent.has('drone-0', 1)).toBe(false);
  });
});
