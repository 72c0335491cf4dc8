import { InProcessDroneLocks } from '../../libs/drone-locks/adapters/in-process.drone-locks.js';
import { RedisDroneLocks } from '../../libs/drone-locks/adapters/redis.drone-locks.js';
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
