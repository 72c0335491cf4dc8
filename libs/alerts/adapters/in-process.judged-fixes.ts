import type { AdvanceResult, JudgedFix, JudgedFixes } from '../judged-fixes.port.js';

/** Watermarks of one process (single-node deployments): after a restart the stored states stand in for them. */
export class InProcessJudgedFixes implements JudgedFixes {
  private readonly fixes = new Map<string, { ts: number; lon: number; lat: number }>();

  async advance(list: JudgedFix[]): Promise<AdvanceResult[]> {
    return list.map((f) => {
      const key = `${f.tenantId}|${f.droneId}`;
      const previous = this.fixes.get(key) ?? null;
      if (previous && previous.ts >= f.ts) return 'stale';
      this.fixes.set(key, { ts: f.ts, lon: f.lon, lat: f.lat });
      return previous;
    });
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.fixes.clear();
  }
}
