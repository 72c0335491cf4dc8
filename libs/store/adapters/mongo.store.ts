import { connectMongo, type MongoStoreOptions } from '../../mongo/index.js';
import { MongoIdentityRepository } from './mongo.identity.repository.js';
import { MongoTelemetryRepository } from './mongo.telemetry.repository.js';

export interface MongoStore {
  identity: MongoIdentityRepository;
  telemetry: MongoTelemetryRepository;
}

/** Both repositories on one client (closed when both are); indexes are created before it resolves. */
export async function connectMongoStore(url: string, options: MongoStoreOptions = {}): Promise<MongoStore> {
  const handle = await connectMongo(url, options, 2);
  const identity = new MongoIdentityRepository(handle);
  const telemetry = new MongoTelemetryRepository(handle);
  try {
    await identity.init();
    await telemetry.init();
  } catch (err) {
    await Promise.all([identity.close(), telemetry.close()]).catch(() => undefined);
    throw err;
  }
  return { identity, telemetry };
}
