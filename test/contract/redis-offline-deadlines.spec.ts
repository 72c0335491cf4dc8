import { RedisOfflineDeadlines } from '../../libs/alerts/adapters/redis.offline-deadlines.js';
import { describeWith, testRedisUrl, uniqueName } from '../support/real-servers.js';
import { offlineDeadlinesContract } from './offline-deadlines.contract.js';

describeWith(testRedisUrl)('RedisOfflineDeadlines', () => {
  const prefix = `${uniqueName('dt_offline')}:`;
  offlineDeadlinesContract('redis (Lua claims)', async () => new RedisOfflineDeadlines(testRedisUrl!, prefix), true);
});
