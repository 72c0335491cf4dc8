import type { Collection } from 'mongodb';
import { ensureIndexes, type MongoGuard, type MongoHandle } from '../../mongo/index.js';
import type { Geofence } from '../geofence.js';
import type { GeofencePage, GeofenceRepository } from '../geofence.repository.port.js';

/** The geometry is kept as JSON text: up to 10,000 positions of nested arrays gain nothing from being documents. */
interface GeofenceDoc extends Omit<Geofence, 'id' | 'geometry'> {
  _id: string;
  geometryJson: string;
}

const toDoc = ({ id, geometry, ...rest }: Geofence): GeofenceDoc => ({ _id: id, geometryJson: JSON.stringify(geometry), ...rest });
const fromDoc = ({ _id, geometryJson, ...rest }: GeofenceDoc): Geofence => ({ id: _id, geometry: JSON.parse(geometryJson), ...rest });

/** Geofences on MongoDB (or FerretDB): plain documents, one compound index for pages. */
export class MongoGeofenceRepository implements GeofenceRepository {
  private readonly docs: Collection<GeofenceDoc>;
  private readonly guard: MongoGuard;

  constructor(private readonly handle: MongoHandle) {
    this.docs = handle.db.collection('geofences');
    this.guard = handle.guard;
  }

  async init(): Promise<void> {
    await this.guard.run('createIndexes', () =>
      ensureIndexes(this.docs, [{ key: { tenantId: 1, createdAt: 1, _id: 1 }, name: 'tenant_created' }]),
    );
  }

  create(g: Geofence): Promise<void> {
    return this.guard.run('createGeofence', async () => void (await this.docs.insertOne(toDoc(g))));
  }

  find(tenantId: string, id: string): Promise<Geofence | null> {
    return this.guard.run('findGeofence', async () => {
      const doc = await this.docs.findOne({ _id: id, tenantId });
      return doc ? fromDoc(doc) : null;
    });
  }

  list(tenantId: string, limit: number, after?: { createdAt: number; id: string }): Promise<GeofencePage> {
    return this.guard.run('listGeofences', async () => {
      const filter = after
        ? { tenantId, $or: [{ createdAt: { $gt: after.createdAt } }, { createdAt: after.createdAt, _id: { $gt: after.id } }] }
        : { tenantId };
      const docs = await this.docs
        .find(filter)
        .sort({ createdAt: 1, _id: 1 })
        .limit(limit + 1)
        .toArray();
      const items = docs.slice(0, limit).map(fromDoc);
      const last = items[items.length - 1];
      return { items, next: docs.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null };
    });
  }

  listAll(tenantId: string): Promise<Geofence[]> {
    return this.guard.run('listAllGeofences', async () => (await this.docs.find({ tenantId }).toArray()).map(fromDoc));
  }

  count(tenantId: string): Promise<number> {
    return this.guard.run('countGeofences', () => this.docs.countDocuments({ tenantId }));
  }

  update(g: Geofence): Promise<boolean> {
    return this.guard.run('updateGeofence', async () => {
      const { _id, ...fields } = toDoc(g);
      const r = await this.docs.updateOne({ _id, tenantId: g.tenantId }, { $set: fields });
      return r.matchedCount === 1;
    });
  }

  delete(tenantId: string, id: string): Promise<boolean> {
    return this.guard.run('deleteGeofence', async () => (await this.docs.deleteOne({ _id: id, tenantId })).deletedCount === 1);
  }

  ping(): Promise<void> {
    return this.guard.run('ping', async () => void (await this.handle.db.command({ ping: 1 })));
  }

  close(): Promise<void> {
    return this.handle.release();
  }
}
