import { MongoClient } from 'mongodb';
import { MongoFlightRepository } from '../../libs/flights/index.js';
import { describeWith, mongoDatabaseUrl, testMongoUrl, uniqueName } from '../support/real-servers.js';
import { flightStoreContract } from './flight-store.contract.js';

const dbName = uniqueName('flights');
const url = testMongoUrl ? mongoDatabaseUrl(testMongoUrl, dbName) : '';

describeWith(testMongoUrl)('Mongo flight store on FerretDB', () => {
  afterAll(async () => {
    const client = await new MongoClient(url).connect();
    await client.db(dbName).dropDatabase();
    await client.close();
  });

  flightStoreContract('mongo', () => MongoFlightRepository.connect(url));
});
