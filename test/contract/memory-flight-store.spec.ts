import { MemoryFlightRepository } from '../../libs/flights/adapters/index.js';
import { flightStoreContract } from './flight-store.contract.js';

flightStoreContract('memory', async () => new MemoryFlightRepository());
