/**
 * The adapters for Redis and MongoDB, loaded only when REDIS_URL or MONGO_URL is set: the
 * embedded default then never loads the `mongodb`, `ioredis` and `bull` packages (about 200
 * modules; less memory and a faster start).
 */
export { RedisLiveMapCache } from '../../libs/cache/adapters/redis-live-map.cache.js';
export { RedisRoleEvents } from '../../libs/events/adapters/redis.role-events.js';
export { RedisRateLimiter } from '../../libs/rate-limit/adapters/redis-rate-limiter.js';
export { BullTelemetryQueue } from '../../libs/queue/adapters/bull-telemetry-queue.js';
export { MongoFlightRepository } from '../../libs/flights/adapters/mongo.flight.repository.js';
export { RedisDroneLocks } from '../../libs/drone-locks/adapters/redis.drone-locks.js';
export { connectMongoStore } from '../../libs/store/adapters/mongo.store.js';
export { MongoAlertRepository } from '../../libs/alerts/adapters/mongo.alert.repository.js';
export { RedisOfflineDeadlines } from '../../libs/alerts/adapters/redis.offline-deadlines.js';
export { RedisJudgedFixes } from '../../libs/alerts/adapters/redis.judged-fixes.js';
export { MongoGeofenceRepository } from '../../libs/geofences/adapters/mongo.geofence.repository.js';
export { connectMongo } from '../../libs/mongo/index.js';
export { MongoWebhookRepository } from '../../libs/webhooks/adapters/mongo.webhook.repository.js';
