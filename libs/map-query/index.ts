export * from './live-stream.service.js';
export * from './map-query.module.js';
