export * from './geofence.js';
export * from './geofence.repository.port.js';
export * from './geofence-change-hook.port.js';
export * from './geofence-index.js';
export * from './geofences.events.js';
export { GeofenceIndexCache } from './geofence-index.cache.js';
export { GeofencesModule } from './geofences.module.js';
