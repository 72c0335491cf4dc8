export * from './geofence.js';
export * from './geofence.repository.port.js';
export * from './geofence-index.js';
export { GeofenceIndexCache } from './geofence-index.cache.js';
export { GeofencesModule } from './geofences.module.js';
