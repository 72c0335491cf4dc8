export * from './bbox.js';
export * from './domain.js';
export * from './drone-state.js';
export * from './errors.js';
export * from './ids.js';
export * from './telemetry-point.js';
