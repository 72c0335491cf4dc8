export * from './live-position.publisher.js';
export * from './live-positions.module.js';
export * from './live-positions.events.js';
