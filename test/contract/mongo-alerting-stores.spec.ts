import { MongoClient } from 'mongodb';
import { MongoAlertRepository } from '../../libs/alerts/adapters/mongo.alert.repository.js';
import { MongoGeofenceRepository } from '../../libs/geofences/adapters/mongo.geofence.repository.js';
import { connectMongo } from '../../libs/mongo/index.js';
import { MongoWebhookRepository } from '../../libs/webhooks/adapters/mongo.webhook.repository.js';
import { describeEachMongoServer } from '../support/mongo-servers.js';
import { mongoDatabaseUrl, uniqueName } from '../support/real-servers.js';
import { alertStoreContract } from './alert-store.contract.js';
import { geofenceStoreContract } from './geofence-store.contract.js';
import { webhookStoreContract } from './webhook-store.contract.js';

const logger = { error: () => undefined };

describeEachMongoServer('alerting stores on MongoDB', (server) => {
  const dbName = uniqueName('alerting');
  const url = mongoDatabaseUrl(server.url, dbName);

  async function opened<T extends { init(): Promise<void> }>(make: (h: Awaited<ReturnType<typeof connectMongo>>) => T): Promise<T> {
    const repo = make(await connectMongo(url, { logger }));
    await repo.init();
    return repo;
  }

  afterAll(async () => {
    const client = await new MongoClient(url).connect();
    await client.db(dbName).dropDatabase();
    await client.close();
  });

  const restart =
    <T extends { close(): Promise<void>; init(): Promise<void> }>(make: (h: Awaited<ReturnType<typeof connectMongo>>) => T) =>
    async (old: { close(): Promise<void> }) => {
      await old.close();
      return opened(make);
    };
  geofenceStoreContract(
    'mongo',
    () => opened((h) => new MongoGeofenceRepository(h)),
    restart((h) => new MongoGeofenceRepository(h)),
  );
  alertStoreContract(
    'mongo',
    () => opened((h) => new MongoAlertRepository(h)),
    restart((h) => new MongoAlertRepository(h)),
    // FerretDB 1.24 reads a document, then writes it whole by _id (backends/postgresql UpdateAll),
    // so of two updates of one document at the same time one may be lost. MongoDB isolates them.
    { isolatesUpdates: server.name !== 'FerretDB' },
  );
  webhookStoreContract(
    'mongo',
    () => opened((h) => new MongoWebhookRepository(h)),
    restart((h) => new MongoWebhookRepository(h)),
  );
});
