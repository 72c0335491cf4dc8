import type { Collection, Filter } from 'mongodb';
import { ensureIndexes, isDuplicateKey, type MongoGuard, type MongoHandle } from '../../mongo/index.js';
import { ANNOUNCE_GRACE_MS, asOpened, openKeyOf, type Alert, type AlertEvent, type NewAlert } from '../alert.js';
import type { AlertPage, AlertQuery, AlertRepository } from '../alert.repository.port.js';

/**
 * `openKey` carries a unique index: "<tenant>|<drone>|<type>|<geofence>" while the alert is open,
 * and "resolved|<id>" once resolved (no partial indexes on FerretDB), so two processors opening
 * the same condition store one alert: the second insert is a duplicate key. A change and its
 * pending event are one update of one document ($set with $push), so they are stored together
 * without multi-document transactions (which FerretDB 1.24 lacks). FerretDB 1.24 does not
 * isolate concurrent updates of one document either (it reads it, then writes it whole by _id):
 * there a markAnnounced racing a change can undo it or be undone, as an acknowledgement racing a
 * resolve always could. The change and its event still stay together: at worst an event is
 * announced twice, or a change lost with its event.
 */
interface AlertDoc extends Omit<Alert, 'id'> {
  _id: string;
  openKey: string;
}

/** Documents written before the outbox have no pending events. */
const fromDoc = ({ _id, openKey: _k, ...rest }: AlertDoc): Alert => ({
  id: _id,
  ...rest,
  pending: rest.pending ?? [],
  announceDueAt: rest.announceDueAt ?? null,
});

export class MongoAlertRepository implements AlertRepository {
  private readonly docs: Collection<AlertDoc>;
  private readonly guard: MongoGuard;

  constructor(private readonly handle: MongoHandle) {
    this.docs = handle.db.collection('alerts');
    this.guard = handle.guard;
  }

  async init(): Promise<void> {
    await this.guard.run('createIndexes', () =>
      ensureIndexes(this.docs, [
        { key: { openKey: 1 }, name: 'open_key_unique', unique: true },
        { key: { tenantId: 1, openedAt: -1, _id: -1 }, name: 'tenant_opened' },
        { key: { tenantId: 1, state: 1, droneId: 1 }, name: 'tenant_state_drone' },
        { key: { announceDueAt: 1 }, name: 'announce_due' },
      ]),
    );
  }

  open(alert: NewAlert): Promise<boolean> {
    return this.guard.run('openAlert', async () => {
      const { id, ...rest } = asOpened(alert);
      try {
        await this.docs.insertOne({ _id: id, ...rest, openKey: `${alert.tenantId}|${openKeyOf(alert)}` });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    });
  }

  resolve(tenantId: string, id: string, at: number): Promise<Alert | null> {
    return this.guard.run('resolveAlert', async () => {
      const r = await this.docs.updateOne(
        { _id: id, tenantId, state: 'open' },
        {
          $set: { state: 'resolved', resolvedAt: at, openKey: `resolved|${id}`, announceDueAt: at + ANNOUNCE_GRACE_MS },
          $push: { pending: 'alert.resolved' },
        },
      );
      if (r.modifiedCount !== 1) return null;
      const doc = await this.docs.findOne({ _id: id });
      return doc ? fromDoc(doc) : null;
    });
  }

  findOpen(tenantId: string, droneIds: string[]): Promise<Alert[]> {
    return this.guard.run('findOpenAlerts', async () =>
      (await this.docs.find({ tenantId, state: 'open', droneId: { $in: droneIds } }).toArray()).map(fromDoc),
    );
  }

  findOpenOfGeofence(tenantId: string, geofenceId: string): Promise<Alert[]> {
    return this.guard.run('findOpenAlertsOfGeofence', async () =>
      (await this.docs.find({ tenantId, state: 'open', geofenceId }).toArray()).map(fromDoc),
    );
  }

  get(tenantId: string, id: string): Promise<Alert | null> {
    return this.guard.run('getAlert', async () => {
      const doc = await this.docs.findOne({ _id: id, tenantId });
      return doc ? fromDoc(doc) : null;
    });
  }

  list(q: AlertQuery): Promise<AlertPage> {
    return this.guard.run('listAlerts', async () => {
      const filter: Filter<AlertDoc> = { tenantId: q.tenantId };
      if (q.state !== 'all') filter.state = q.state;
      if (q.droneId) filter.droneId = q.droneId;
      if (q.type) filter.type = q.type;
      // Each bound its own clause: SecantusDB 0.7 finds nothing for a two-sided range on this
      // descending compound index; the $and form means the same to MongoDB.
      const bounds: Filter<AlertDoc>[] = [];
      if (q.from !== undefined) bounds.push({ openedAt: { $gte: q.from } });
      if (q.to !== undefined) bounds.push({ openedAt: { $lte: q.to } });
      if (bounds.length > 0) filter.$and = bounds;
      if (q.after) filter.$or = [{ openedAt: { $lt: q.after.openedAt } }, { openedAt: q.after.openedAt, _id: { $lt: q.after.id } }];
      const docs = await this.docs
        .find(filter)
        .sort({ openedAt: -1, _id: -1 })
        .limit(q.limit + 1)
        .toArray();
      const items = docs.slice(0, q.limit).map(fromDoc);
      const last = items[items.length - 1];
      return { items, next: docs.length > q.limit && last ? { openedAt: last.openedAt, id: last.id } : null };
    });
  }

  acknowledge(tenantId: string, id: string, userId: string, at: number): Promise<{ alert: Alert; changed: boolean } | null> {
    return this.guard.run('acknowledgeAlert', async () => {
      const r = await this.docs.updateOne(
        { _id: id, tenantId, acknowledgedAt: null },
        {
          $set: { acknowledgedAt: at, acknowledgedBy: userId, announceDueAt: at + ANNOUNCE_GRACE_MS },
          $push: { pending: 'alert.acknowledged' },
        },
      );
      const doc = await this.docs.findOne({ _id: id, tenantId });
      return doc ? { alert: fromDoc(doc), changed: r.modifiedCount === 1 } : null;
    });
  }

  /**
   * Pulls the events, then clears the due time only if nothing is pending at that moment: an event
   * pushed in between keeps it (each step is one atomic single-document update).
   */
  markAnnounced(tenantId: string, id: string, events: AlertEvent[]): Promise<void> {
    return this.guard.run('markAlertAnnounced', async () => {
      await this.docs.updateOne({ _id: id, tenantId }, { $pullAll: { pending: events } });
      await this.docs.updateOne({ _id: id, tenantId, pending: { $size: 0 } }, { $set: { announceDueAt: null } });
    });
  }

  /** Each claim is conditional on the due time it read, so of announcers racing for an alert one wins. */
  claimDueAnnouncements(now: number, leaseUntil: number, limit: number): Promise<Alert[]> {
    return this.guard.run('claimDueAnnouncements', async () => {
      const due = await this.docs
        .find({ announceDueAt: { $lte: now } })
        .sort({ announceDueAt: 1 })
        .limit(limit)
        .toArray();
      const claimed: Alert[] = [];
      for (const doc of due) {
        const r = await this.docs.updateOne({ _id: doc._id, announceDueAt: doc.announceDueAt }, { $set: { announceDueAt: leaseUntil } });
        const current = r.modifiedCount === 1 ? await this.docs.findOne({ _id: doc._id }) : null;
        if (current) claimed.push(fromDoc(current));
      }
      return claimed;
    });
  }

  ping(): Promise<void> {
    return this.guard.run('ping', async () => void (await this.handle.db.command({ ping: 1 })));
  }

  close(): Promise<void> {
    return this.handle.release();
  }
}
