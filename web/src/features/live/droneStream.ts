export type StreamState = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'paused';

export interface StreamOptions {
  url: () => string;
  onData: (data: string) => void;
  /** `event: alert` (an Alert) — opened, resolved or acknowledged, whatever the box. */
  onAlert?: (data: string) => void;
  onState: (state: StreamState, detail: string) => void;
  /** Called on every successful (re)open: the caller refreshes its snapshot to cover the gap. */
  onOpen: (reconnected: boolean) => void;
  /** After a failure, asks whether the session is still valid (false: stop, the app logs out). */
  checkSession: () => Promise<boolean>;
}

/** EventSource wrapper with its own reconnect and exponential backoff with jitter (1 s … 30 s). */
export class DroneStream {
  private es: EventSource | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private state: StreamState = 'idle';
  private everOpened = false;
  private stopped = true;

  constructor(private readonly o: StreamOptions) {}

  get current(): StreamState {
    return this.state;
  }

  /** (Re)open with the URL the options give now, e.g. after a viewport change. */
  open(): void {
    this.stopped = false;
    this.attempt = 0;
    this.connect();
  }

  pause(): void {
    this.teardown();
    this.stopped = true;
    this.set('paused', 'live updates paused');
  }

  close(): void {
    this.teardown();
    this.stopped = true;
    this.set('idle', '');
  }

  private set(s: StreamState, detail: string): void {
    this.state = s;
    this.o.onState(s, detail);
  }

  private teardown(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.es) {
      this.es.onopen = this.es.onerror = null;
      this.es.close();
      this.es = null;
    }
  }

  private connect(): void {
    this.teardown();
    if (this.state !== 'reconnecting') this.set('connecting', 'connecting to the live stream…');
    const es = new EventSource(this.o.url());
    this.es = es;
    const onMsg = (e: MessageEvent) => {
      if (typeof e.data === 'string' && e.data.charCodeAt(0) === 123 /* { */) this.o.onData(e.data);
    };
    es.addEventListener('drone', onMsg as EventListener);
    es.addEventListener('alert', ((e: MessageEvent) => typeof e.data === 'string' && this.o.onAlert?.(e.data)) as EventListener);
    es.onmessage = onMsg; // unnamed events carrying a Feature are accepted too
    es.onopen = () => {
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.attempt = 0;
      this.set('live', 'live');
      this.o.onOpen(reconnected);
    };
    es.onerror = () => {
      if (this.es !== es) return;
      this.teardown();
      this.attempt++;
      const base = Math.min(30000, 1000 * 2 ** Math.min(this.attempt - 1, 5));
      const delay = Math.round(base * (0.7 + Math.random() * 0.6));
      this.set('reconnecting', `live stream lost; reconnecting in ${Math.ceil(delay / 1000)} s…`);
      this.timer = setTimeout(async () => {
        this.timer = null;
        if (this.stopped) return;
        let ok: boolean;
        try {
          ok = await this.o.checkSession();
        } catch {
          ok = true; // network trouble: keep retrying
        }
        if (!this.stopped && ok) this.connect();
      }, delay);
    };
  }
}
