import { join } from 'node:path';
import { ALERT_REPOSITORY, OFFLINE_DEADLINES, type AlertRepository, type OfflineDeadlines } from '../libs/alerts/index.js';
import { InProcessOfflineDeadlines } from '../libs/alerts/adapters/in-process.offline-deadlines.js';
import { MemoryAlertRepository } from '../libs/alerts/adapters/memory.alert.repository.js';
import { MongoAlertRepository } from '../libs/alerts/adapters/mongo.alert.repository.js';
import { RedisOfflineDeadlines } from '../libs/alerts/adapters/redis.offline-deadlines.js';
import type { AppConfig } from '../libs/config/index.js';
import { GEOFENCE_REPOSITORY, type GeofenceRepository } from '../libs/geofences/index.js';
import { MemoryGeofenceRepository } from '../libs/geofences/adapters/memory.geofence.repository.js';
import { MongoGeofenceRepository } from '../libs/geofences/adapters/mongo.geofence.repository.js';
import { connectMongo, type StoreLogger } from '../libs/store/index.js';
import { WEBHOOK_REPOSITORY, type WebhookRepository } from '../libs/webhooks/index.js';
import { MemoryWebhookRepository } from '../libs/webhooks/adapters/memory.webhook.repository.js';
import { MongoWebhookRepository } from '../libs/webhooks/adapters/mongo.webhook.repository.js';

/** Issue 11's stores: geofences, alerts, webhooks (+ deliveries) and the offline deadlines. */
export interface AlertAdapters {
  geofences: GeofenceRepository;
  alerts: AlertRepository;
  webhooks: WebhookRepository;
  /** Only processors watch for silent drones. */
  offlineDeadlines?: OfflineDeadlines;
}

export const ALERT_ADAPTER_TOKENS = {
  geofences: GEOFENCE_REPOSITORY,
  alerts: ALERT_REPOSITORY,
  webhooks: WEBHOOK_REPOSITORY,
  offlineDeadlines: OFFLINE_DEADLINES,
} as const;

/**
 * MongoDB when MONGO_URL is set (one client for the three repositories); otherwise the embedded
 * store: in memory, made durable by append-only logs under DATA_DIR/store. Offline deadlines live
 * in Redis when REDIS_URL is set, so every processor replica shares them.
 */
export async function openAlertAdapters(config: AppConfig, logger: StoreLogger, processor: boolean): Promise<AlertAdapters> {
  const offlineDeadlines = !processor
    ? undefined
    : config.redisUrl
      ? new RedisOfflineDeadlines(config.redisUrl, `${config.redisKeyPrefix}:`)
      : new InProcessOfflineDeadlines();
  if (!config.mongoUrl) {
    const dir = join(config.dataDir, 'store');
    return {
      geofences: new MemoryGeofenceRepository(join(dir, 'geofences.log'), logger),
      alerts: new MemoryAlertRepository(join(dir, 'alerts.log'), logger),
      webhooks: new MemoryWebhookRepository({ webhooks: join(dir, 'webhooks.log'), deliveries: join(dir, 'webhook-deliveries.log') }, logger),
      offlineDeadlines,
    };
  }
  const handle = await connectMongo(config.mongoUrl, { logger }, 3);
  const geofences = new MongoGeofenceRepository(handle);
  const alerts = new MongoAlertRepository(handle);
  const webhooks = new MongoWebhookRepository(handle);
  try {
    await geofences.init();
    await alerts.init();
    await webhooks.init();
  } catch (err) {
    await Promise.allSettled([geofences.close(), alerts.close(), webhooks.close(), offlineDeadlines?.close()]);
    throw err;
  }
  return { geofences, alerts, webhooks, offlineDeadlines };
}
