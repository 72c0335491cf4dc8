export interface SseEvent {
  event: string;
  data: any;
  at: number;
}

/**
 * An open SSE connection that keeps every event it receives, so a test can open streams on
 * several replicas first, then act, then wait for the events it expects (others may arrive too).
 */
export class SseStream {
  readonly events: SseEvent[] = [];
  private readonly controller = new AbortController();
  private waiters: (() => void)[] = [];
  private ended: string | null = null;

  private constructor(readonly url: string) {}

  /** Resolves once the server answered 200 and sent its first bytes (the subscription is live). */
  static async open(url: string, timeoutMs = 10_000): Promise<SseStream> {
    const s = new SseStream(url);
    const timer = setTimeout(() => s.controller.abort(), timeoutMs);
    const res = await fetch(url, { signal: s.controller.signal });
    if (res.status !== 200) {
      clearTimeout(timer);
      s.controller.abort();
      throw new Error(`stream ${url} answered ${res.status}: ${await res.text()}`);
    }
    const reader = res.body!.getReader();
    const first = await reader.read();
    clearTimeout(timer);
    void s.pump(reader, first.value);
    return s;
  }

  private async pump(reader: ReadableStreamDefaultReader<Uint8Array>, first: Uint8Array | undefined): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = first ? decoder.decode(first, { stream: true }) : '';
    try {
      for (;;) {
        let idx: number;
        while ((idx = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, idx);
          buffer = buffer.slice(idx + 2);
          const ev = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (ev && data) this.events.push({ event: ev, data: JSON.parse(data), at: Date.now() });
        }
        this.waiters.splice(0).forEach((w) => w());
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
      }
      this.ended = 'the server ended the stream';
    } catch (err) {
      this.ended = String(err);
    }
    this.waiters.splice(0).forEach((w) => w());
  }

  /** The first event matching `match`, waiting up to `timeoutMs` for it. */
  async waitFor(match: (e: SseEvent) => boolean, timeoutMs = 10_000, what = 'an event'): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (this.ended) throw new Error(`stream ${this.url} ended (${this.ended}) before ${what}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what} on ${this.url} (got ${JSON.stringify(this.events.map((e) => [e.event, e.data?.id]))})`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  close(): void {
    this.controller.abort();
  }
}

/** `event: drone` for drone `droneId`. */
export const droneEvent = (droneId: string) => (e: SseEvent) => e.event === 'drone' && e.data?.id === droneId;
