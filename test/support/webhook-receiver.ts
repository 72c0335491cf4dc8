import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface Received {
  eventId: string;
  signature: string;
  body: string;
  json: any;
}

/**
 * A real HTTP receiver for webhook tests: answers each request with the next status of `plan`
 * (then 200), records every request, and verifies signatures the way an integrator would.
 */
export class WebhookReceiver {
  readonly requests: Received[] = [];
  plan: number[] = [];
  /** When set, decides each answer instead of `plan`. */
  respond: ((r: Received) => number) | null = null;
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const received = {
          eventId: String(req.headers['dronetrack-event-id']),
          signature: String(req.headers['dronetrack-signature']),
          body,
          json: JSON.parse(body),
        };
        this.requests.push(received);
        res.statusCode = this.respond ? this.respond(received) : (this.plan.shift() ?? 200);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/hook`;
    return this;
  }

  /** Event ids seen, deduplicated the way a receiver would. */
  uniqueEvents(): string[] {
    return [...new Set(this.requests.map((r) => r.eventId))];
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** Checks `t=<unix>,v1=<hex>` against the secret, as the contract tells receivers to. */
export function verifySignature(secret: string, header: string, body: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2], 'hex'));
}
