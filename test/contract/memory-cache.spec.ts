import { MemoryLiveMapCache } from '../../libs/cache/index.js';
import { liveMapCacheContract } from './cache.contract.js';

describe('MemoryLiveMapCache', () => {
  liveMapCacheContract(() => new MemoryLiveMapCache());
});
