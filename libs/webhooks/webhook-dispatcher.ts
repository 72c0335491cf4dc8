import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { APP_LOGGER, type JsonLogger } from '../ops/index.js';
import { retryDelayMs } from './retry-schedule.js';
import { SecretBox, signatureHeader } from './secret-box.js';
import { WEBHOOK_REPOSITORY, type AttemptResult, type WebhookRepository } from './webhook.repository.port.js';
import { WebhookOutbox } from './webhook-outbox.js';
import { DELIVERY_TIMEOUT_MS, sendWebhook } from './webhook-sender.js';
import type { Delivery } from './webhook.js';

const POLL_MS = 500;
/** Longer than one attempt can take, so a live dispatcher never loses its lease mid-attempt. */
const LEASE_MS = DELIVERY_TIMEOUT_MS * 3;
const PER_TENANT = 4;
const TOTAL = 32;

/**
 * Sends due deliveries from the store, outside any telemetry job. Each runs under a lease in the
 * store, so several processor replicas share the work and a crashed one's deliveries are taken
 * over when the lease runs out. At most PER_TENANT attempts of one tenant run at once, so a slow
 * receiver holds back only its own tenant's deliveries.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private readonly running = new Map<string, number>();
  private readonly inflight = new Set<Promise<void>>();
  private polling = false;
  private again = false;
  private stopped = false;
  private stopListening: (() => void) | null = null;
  private readonly box: SecretBox;

  constructor(
    @Inject(WEBHOOK_REPOSITORY) private readonly repo: WebhookRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: JsonLogger,
    outbox: WebhookOutbox,
  ) {
    this.box = new SecretBox(config.jwtSecret);
    this.stopListening = outbox.onEnqueued(() => void this.poll());
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.stopListening?.();
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([...this.inflight]);
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    if (this.polling) return void (this.again = true);
    this.polling = true;
    try {
      do {
        this.again = false;
        await this.startDue();
      } while (this.again && !this.stopped);
    } catch (err) {
      this.logger.event('warn', 'webhook dispatcher poll failed', { err: String(err) });
    } finally {
      this.polling = false;
    }
  }

  private async startDue(): Promise<void> {
    const now = Date.now();
    for (const d of await this.repo.dueDeliveries(now, 100)) {
      if (this.inflight.size >= TOTAL) return;
      if ((this.running.get(d.tenantId) ?? 0) >= PER_TENANT) continue;
      if (!(await this.repo.claimDelivery(d.id, now, now + LEASE_MS))) continue;
      this.running.set(d.tenantId, (this.running.get(d.tenantId) ?? 0) + 1);
      const attempt = this.attempt(d)
        .catch((err) => this.logger.event('warn', 'webhook attempt could not be recorded', { err: String(err) }))
        .finally(() => {
          this.inflight.delete(attempt);
          const n = (this.running.get(d.tenantId) ?? 1) - 1;
          if (n <= 0) this.running.delete(d.tenantId);
          else this.running.set(d.tenantId, n);
          void this.poll();
        });
      this.inflight.add(attempt);
    }
  }

  private async attempt(d: Delivery): Promise<void> {
    const webhook = await this.repo.findWebhook(d.tenantId, d.webhookId);
    if (!webhook) return this.repo.recordAttempt(d.id, this.outcome(d, null, 'the webhook was deleted', true));
    const secret = this.box.open(webhook.sealedSecret);
    if (secret === null)
      return this.repo.recordAttempt(
        d.id,
        this.outcome(d, null, 'the secret cannot be read (JWT_SECRET changed); create the webhook again', true),
      );
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'dronetrack-webhooks/1',
      'dronetrack-event-id': d.eventId,
      'dronetrack-signature': signatureHeader(secret, d.body, Math.floor(Date.now() / 1000)),
    };
    const { statusCode, error } = await sendWebhook(webhook.url, d.body, headers, this.config.webhookAllowPrivateNetworks);
    const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
    await this.repo.recordAttempt(d.id, this.outcome(d, statusCode, ok ? null : (error ?? `answered ${statusCode}`), false, ok));
  }

  /** The delivery after one more attempt: delivered, retried later, or failed for good. */
  private outcome(d: Delivery, statusCode: number | null, error: string | null, final: boolean, ok = false): AttemptResult {
    const now = Date.now();
    const attempts = d.attempts + 1;
    const base = { attempts, lastStatusCode: statusCode, lastError: error, lastAttemptAt: now };
    if (ok) return { ...base, status: 'delivered', nextAttemptAt: null };
    const next = now + retryDelayMs(attempts, this.config.webhookRetryBaseSeconds);
    if (final || next - d.createdAt > this.config.webhookMaxAgeHours * 3_600_000) return { ...base, status: 'failed', nextAttemptAt: null };
    return { ...base, status: 'pending', nextAttemptAt: next };
  }
}
