import { newId } from '../../libs/core/index.js';
import type { Delivery, Webhook, WebhookRepository } from '../../libs/webhooks/index.js';

export function webhookOf(tenantId: string, extra: Partial<Webhook> = {}): Webhook {
  return {
    id: newId(),
    tenantId,
    url: 'https://example.com/hook',
    events: ['alert.opened'],
    description: '',
    createdAt: 1_700_000_000_000,
    sealedSecret: 'v1.x.y.z',
    ...extra,
  };
}

export function deliveryOf(w: Webhook, extra: Partial<Delivery> = {}): Delivery {
  return {
    id: newId(),
    tenantId: w.tenantId,
    webhookId: w.id,
    eventId: newId(),
    event: 'alert.opened',
    alertId: newId(),
    status: 'pending',
    attempts: 0,
    lastStatusCode: null,
    lastError: null,
    createdAt: 1_000,
    lastAttemptAt: null,
    nextAttemptAt: 1_000,
    leaseUntil: 0,
    body: '{"id":"x"}',
    ...extra,
  };
}

/** The behaviour every WebhookRepository must have: tenancy, due deliveries, exclusive claims, insert-or-ignore, the log. */
export function webhookStoreContract(
  name: string,
  open: () => Promise<WebhookRepository>,
  reopen?: (old: WebhookRepository) => Promise<WebhookRepository>,
): void {
  describe(`WebhookRepository contract: ${name}`, () => {
    let repo: WebhookRepository;
    beforeAll(async () => {
      repo = await open();
    });
    afterAll(() => repo.close());

    it('stores webhooks per tenant and deletes them', async () => {
      const t = newId();
      const w = webhookOf(t);
      await repo.createWebhook(w);
      expect(await repo.listWebhooks(t)).toEqual([w]);
      expect(await repo.findWebhook(t, w.id)).toEqual(w);
      expect(await repo.findWebhook(newId(), w.id)).toBeNull();
      expect(await repo.deleteWebhook(newId(), w.id)).toBe(false);
      expect(await repo.deleteWebhook(t, w.id)).toBe(true);
      expect(await repo.listWebhooks(t)).toEqual([]);
    });

    it('hands out due deliveries, each claimed by one caller, and records attempts', async () => {
      const w = webhookOf(newId());
      // Far-future times keep this test's rows apart from other tests' rows on a shared store.
      const base = 9_000_000_000_000 + Math.floor(Math.random() * 1e9);
      const due = deliveryOf(w, { nextAttemptAt: base - 10 });
      const later = deliveryOf(w, { nextAttemptAt: base + 1000 });
      await repo.addDeliveries([due, later]);
      const now = base;
      const found = (await repo.dueDeliveries(now, 1000)).filter((d) => d.webhookId === w.id);
      expect(found.map((d) => d.id)).toEqual([due.id]);
      const claims = await Promise.all(Array.from({ length: 5 }, () => repo.claimDelivery(due.id, now, now + 30_000)));
      expect(claims.filter(Boolean).length).toBeGreaterThanOrEqual(1);
      expect((await repo.dueDeliveries(now, 1000)).some((d) => d.id === due.id)).toBe(false);
      expect(await repo.claimDelivery(due.id, now + 1, now + 30_000)).toBe(false);
      // A lease that ran out (its holder died) makes the delivery due again.
      expect((await repo.dueDeliveries(now + 30_001, 1000)).some((d) => d.id === due.id)).toBe(true);
      await repo.recordAttempt(due.id, {
        status: 'delivered',
        attempts: 1,
        lastStatusCode: 200,
        lastError: null,
        lastAttemptAt: now,
        nextAttemptAt: null,
      });
      expect((await repo.dueDeliveries(now + 60_000, 1000)).some((d) => d.id === due.id)).toBe(false);
      const log = await repo.listDeliveries(w.tenantId, w.id, 10);
      expect(log.find((d) => d.id === due.id)).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200, leaseUntil: 0 });
      expect(await repo.listDeliveries(newId(), w.id, 10)).toEqual([]);
    });

    it('lists deliveries newest first, at most limit', async () => {
      const w = webhookOf(newId());
      const list = [1, 3, 2].map((createdAt) => deliveryOf(w, { createdAt, status: 'failed', nextAttemptAt: null }));
      await repo.addDeliveries(list);
      expect((await repo.listDeliveries(w.tenantId, w.id, 2)).map((d) => d.createdAt)).toEqual([3, 2]);
    });

    it('ignores a delivery whose id is already stored (an event enqueued again), alone or among new ones', async () => {
      const w = webhookOf(newId());
      const first = deliveryOf(w, { createdAt: 1, status: 'failed', nextAttemptAt: null });
      await repo.addDeliveries([first]);
      const again = { ...first, createdAt: 2, status: 'pending' as const, nextAttemptAt: 2, body: '{"id":"again"}' };
      const fresh = deliveryOf(w, { createdAt: 3, status: 'failed', nextAttemptAt: null });
      await repo.addDeliveries([again]);
      await repo.addDeliveries([again, fresh, fresh]);
      expect(await repo.listDeliveries(w.tenantId, w.id, 10)).toEqual([fresh, first]);
    });

    if (reopen) {
      it('keeps pending deliveries across a restart', async () => {
        const w = webhookOf(newId());
        const d = deliveryOf(w);
        await repo.createWebhook(w);
        await repo.addDeliveries([d]);
        repo = await reopen(repo);
        expect(await repo.listDeliveries(w.tenantId, w.id, 10)).toEqual([d]);
        expect(await repo.findWebhook(w.tenantId, w.id)).toEqual(w);
      });
    }
  });
}
