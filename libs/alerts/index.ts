export * from './alert.js';
export * from './alert.repository.port.js';
export * from './offline-deadlines.port.js';
export * from './judged-fixes.port.js';
export { AlertEngine } from './alert-engine.js';
export { AlertsModule } from './alerts.module.js';
export { AlertProcessingModule } from './alert-processing.module.js';
