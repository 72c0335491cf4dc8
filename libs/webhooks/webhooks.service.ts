import { Inject, Injectable } from '@nestjs/common';
import { ALERT_EVENTS, type AlertEvent } from '../alerts/index.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { ConflictError, newId, InvalidInputError, NotFoundError } from '../core/index.js';
import { newWebhookSecret, SecretBox } from './secret-box.js';
import { webhookUrlProblem } from './ssrf-guard.js';
import { WEBHOOK_REPOSITORY, type WebhookRepository } from './webhook.repository.port.js';
import type { Delivery, Webhook } from './webhook.js';

const MAX_WEBHOOKS_PER_TENANT = 100;
const FIELDS = ['url', 'events', 'description'];

/** Webhook CRUD for tenant admins; the secret leaves the server once, in the creation answer. */
@Injectable()
export class WebhooksService {
  private readonly box: SecretBox;

  constructor(
    @Inject(WEBHOOK_REPOSITORY) private readonly repo: WebhookRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.box = new SecretBox(config.jwtSecret);
  }

  async create(tenantId: string, body: unknown): Promise<{ webhook: Webhook; secret: string }> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidInputError('request body must be a JSON object');
    const b = body as Record<string, unknown>;
    const problems = Object.keys(b)
      .filter((k) => !FIELDS.includes(k))
      .map((k) => `${k} is not a webhook field`);
    if (typeof b.url !== 'string' || b.url.length === 0 || b.url.length > 2000)
      problems.push('url is required: an http or https URL of at most 2000 characters');
    const events = b.events ?? [...ALERT_EVENTS];
    if (!Array.isArray(events) || events.length === 0 || !events.every((e) => ALERT_EVENTS.includes(e as AlertEvent))) {
      problems.push(`events must be a non-empty array of ${ALERT_EVENTS.map((e) => `"${e}"`).join(', ')}`);
    }
    const description = b.description ?? '';
    if (typeof description !== 'string' || description.length > 200)
      problems.push('description must be a string of at most 200 characters');
    if (problems.length > 0) throw new InvalidInputError(problems);
    const urlProblem = await webhookUrlProblem(b.url as string, this.config.webhookAllowPrivateNetworks);
    if (urlProblem) throw new InvalidInputError(urlProblem);
    if ((await this.repo.listWebhooks(tenantId)).length >= MAX_WEBHOOKS_PER_TENANT) {
      throw new ConflictError(`a tenant holds at most ${MAX_WEBHOOKS_PER_TENANT} webhooks`);
    }
    const secret = newWebhookSecret();
    const webhook: Webhook = {
      id: newId(),
      tenantId,
      url: b.url as string,
      events: [...new Set(events as AlertEvent[])],
      description: description as string,
      createdAt: Date.now(),
      sealedSecret: this.box.seal(secret),
    };
    await this.repo.createWebhook(webhook);
    return { webhook, secret };
  }

  list(tenantId: string): Promise<Webhook[]> {
    return this.repo.listWebhooks(tenantId);
  }

  async delete(tenantId: string, id: string): Promise<void> {
    if (!(await this.repo.deleteWebhook(tenantId, id))) throw new NotFoundError('webhook');
  }

  async deliveries(tenantId: string, id: string, limit: number): Promise<Delivery[]> {
    if (!(await this.repo.findWebhook(tenantId, id))) throw new NotFoundError('webhook');
    return this.repo.listDeliveries(tenantId, id, limit);
  }
}
