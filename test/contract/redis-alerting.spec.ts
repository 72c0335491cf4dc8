import { RedisJudgedFixes } from '../../libs/alerts/adapters/redis.judged-fixes.js';
import { judgedFixesContract } from './judged-fixes.contract.js';
import { RedisOfflineDeadlines } from '../../libs/alerts/adapters/redis.offline-deadlines.js';
import { describeWith, testRedisUrl, uniqueName } from '../support/real-servers.js';
import { offlineDeadlinesContract } from './offline-deadlines.contract.js';

describeWith(testRedisUrl)('RedisOfflineDeadlines', () => {
  const prefix = `${uniqueName('dt_offline')}:`;
  offlineDeadlinesContract('redis (Lua claims)', async () => new RedisOfflineDeadlines(testRedisUrl!, prefix), true);
});

describeWith(testRedisUrl)('RedisJudgedFixes', () => {
  const prefix = `${uniqueName('dt_judged')}:`;
  judgedFixesContract('redis (Lua compare-and-set)', async () => new RedisJudgedFixes(testRedisUrl!, prefix), true);
});
