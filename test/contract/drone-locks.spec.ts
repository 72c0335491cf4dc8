import { InProcessDroneLocks, RedisDroneLocks } from '../../libs/flights/adapters/index.js';
import { describeWith, testRedisUrl, uniqueName } from '../support/real-servers.js';
import { droneLocksContract } from './drone-locks.contract.js';

describe('InProcessDroneLocks', () => {
  const shared = new InProcessDroneLocks();
  // One process: both "processors" share the instance, as concurrent jobs do.
  droneLocksContract('in-process', () => ({ a: shared, b: shared }));
});

describeWith(testRedisUrl)('RedisDroneLocks', () => {
  droneLocksContract('redis', () => {
    const prefix = `${uniqueName('locks')}:`;
    return { a: new RedisDroneLocks(testRedisUrl!, prefix), b: new RedisDroneLocks(testRedisUrl!, prefix) };
  });
});
