export * from './live-map.cache.port.js';
export * from './adapters/index.js';
