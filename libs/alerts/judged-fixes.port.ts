export const JUDGED_FIXES = Symbol('JudgedFixes');

/** A drone's newest fix that alerts have judged. */
export interface JudgedFix {
  tenantId: string;
  droneId: string;
  ts: number;
  lon: number;
  lat: number;
}

/** What `advance` found before: the previous fix, none yet (`null`), or `'stale'` (the given fix is not newer). */
export type AdvanceResult = Omit<JudgedFix, 'tenantId' | 'droneId'> | null | 'stale';

/**
 * Per-drone watermark of the newest fix the alert rules judged, moved forward atomically. Jobs
 * of one drone can run at once on several processors (or slots of one); each takes the fixes
 * after the watermark it moved, so a late point is never judged as new, and a segment is judged
 * from the fix before it even while that fix's job is still running.
 */
export interface JudgedFixes {
  /** For each fix: moves the drone's watermark to it when newer, and says what was there. */
  advance(fixes: JudgedFix[]): Promise<AdvanceResult[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
