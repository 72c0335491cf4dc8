/** Points held by the queue against a ceiling; `wait` parks enqueuers until there is room. */
export class PointBudget {
  private used = 0;
  private waiters: (() => void)[] = [];

  constructor(private readonly max: number) {}

  /** Resolves when `n` more points fit (a job bigger than the ceiling waits for an empty queue). */
  async wait(n: number): Promise<void> {
    while (this.used > 0 && this.used + n > this.max) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  take(n: number): void {
    this.used += n;
  }

  release(n: number): void {
    this.used = Math.max(0, this.used - n);
    this.waiters.splice(0).forEach((resolve) => resolve());
  }
}
