export * from './live-map.cache.port.js';
