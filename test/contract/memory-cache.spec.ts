import { MemoryLiveMapCache } from '../../libs/cache/adapters/index.js';
import { liveMapCacheContract } from './cache.contract.js';

describe('MemoryLiveMapCache', () => {
  liveMapCacheContract(() => new MemoryLiveMapCache());
});
