import type { ServerResponse } from 'node:http';
import type { BBox } from '../core/index.js';

/** A client slower than this (its socket buffer full all along) is dropped: it can reconnect. */
export const SLOW_CLIENT_MS = 10_000;
/** setTimeout's ceiling (~24.8 days); longer token lifetimes are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One open map stream. Writes respect backpressure: while the socket buffer is full, events are
 * skipped (the next state change of a drone supersedes it anyway), and a client that stays full
 * for SLOW_CLIENT_MS is disconnected, so one slow reader never holds memory for everyone.
 */
export class StreamClient {
  private blockedSince: number | null = null;
  private expiry: NodeJS.Timeout | null = null;

  constructor(
    readonly tenantId: string,
    readonly userId: string,
    /** The token version the stream was opened with. */
    readonly tokenVersion: number,
    readonly box: BBox,
    readonly res: ServerResponse,
  ) {
    res.on('drain', () => (this.blockedSince = null));
  }

  /** Ends the stream when the access token that opened it expires. */
  endAt(expiresAt: number): void {
    if (!Number.isFinite(expiresAt)) return;
    const arm = () => {
      const left = expiresAt - Date.now();
      if (left <= 0) return this.end('token-expired');
      this.expiry = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
      this.expiry.unref();
    };
    arm();
  }

  /** Writes unless the socket is backed up; returns false when the client was dropped. */
  write(chunk: string): boolean {
    if (this.res.destroyed || this.res.writableEnded) return false;
    if (this.blockedSince !== null) {
      if (Date.now() - this.blockedSince < SLOW_CLIENT_MS) return true;
      this.res.destroy();
      return false;
    }
    if (!this.res.write(chunk)) this.blockedSince = Date.now();
    return true;
  }

  /** Says why in a last SSE comment (the browser reconnects, and a revoked token is then refused). */
  end(reason: string): void {
    this.clearTimer();
    if (this.res.destroyed || this.res.writableEnded) return;
    this.res.end(`: closed ${reason}\n\n`);
  }

  clearTimer(): void {
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = null;
  }
}
