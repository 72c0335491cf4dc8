export * from './memory-live-map.cache.js';
export * from './redis-live-map.cache.js';
