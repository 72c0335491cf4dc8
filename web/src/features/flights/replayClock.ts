export const REPLAY_SPEEDS = [1, 2, 4, 8, 16, 32] as const;

/** Flight time of a replay: advanced by wall-clock deltas times the speed, clamped to the flight. */
export class ReplayClock {
  position: number;
  speed = 1;
  playing = false;

  constructor(
    readonly start: number,
    readonly end: number,
  ) {
    this.position = start;
  }

  /** Moves flight time on by `wallMs` of real time; stops at the end. Returns the new position. */
  advance(wallMs: number): number {
    if (!this.playing) return this.position;
    this.position = Math.min(this.end, this.position + wallMs * this.speed);
    if (this.position >= this.end) this.playing = false;
    return this.position;
  }

  seek(t: number): void {
    this.position = Math.min(this.end, Math.max(this.start, t));
  }

  play(): void {
    if (this.position >= this.end) this.position = this.start;
    this.playing = true;
  }

  pause(): void {
    this.playing = false;
  }
}
