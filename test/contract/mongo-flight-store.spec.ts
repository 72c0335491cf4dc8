import { MongoClient } from 'mongodb';
import { MongoFlightRepository } from '../../libs/flights/adapters/index.js';
import { describeEachMongoServer } from '../support/mongo-servers.js';
import { mongoDatabaseUrl, uniqueName } from '../support/real-servers.js';
import { flightStoreContract } from './flight-store.contract.js';

describeEachMongoServer('Mongo flight store', (server) => {
  const dbName = uniqueName('flights');
  const url = mongoDatabaseUrl(server.url, dbName);

  afterAll(async () => {
    const client = await new MongoClient(url).connect();
    await client.db(dbName).dropDatabase();
    await client.close();
  });

  flightStoreContract('mongo', () => MongoFlightRepository.connect(url));
});
