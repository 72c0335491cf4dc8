import { MemoryFlightRepository } from '../../libs/flights/index.js';
import { flightStoreContract } from './flight-store.contract.js';

flightStoreContract('memory', async () => new MemoryFlightRepository());
