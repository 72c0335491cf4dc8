/** A backing service this process needs; `check` throws when it does not answer. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

/**
 * What /health/ready reports: every registered backing service answers, and the process is
 * not draining. Shutdown flips `draining` first so load balancers stop sending work.
 */
export class Readiness {
  private readonly checks: ReadinessCheck[] = [];
  private readonly drainListeners: Array<() => void> = [];
  private isDraining = false;

  get draining(): boolean {
    return this.isDraining;
  }

  /** Shutdown's first step: readiness fails, and whoever holds long-lived work (open streams) lets go. */
  startDraining(): void {
    if (this.isDraining) return;
    this.isDraining = true;
    for (const listener of this.drainListeners) listener();
  }

  onDrain(listener: () => void): void {
    this.drainListeners.push(listener);
  }

  register(check: ReadinessCheck): void {
    if (!this.checks.some((c) => c.name === check.name)) this.checks.push(check);
  }

  async report(timeoutMs = 2000): Promise<{ ready: boolean; checks: Record<string, string> }> {
    const checks: Record<string, string> = {};
    await Promise.all(
      this.checks.map(async (c) => {
        try {
          await withTimeout(c.check(), timeoutMs);
          checks[c.name] = 'up';
        } catch {
          checks[c.name] = 'down';
        }
      }),
    );
    if (this.draining) checks.process = 'draining';
    const ready = !this.draining && Object.values(checks).every((s) => s === 'up');
    return { ready, checks };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), ms);
    }),
  ]);
}
