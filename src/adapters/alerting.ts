import { ALERT_REPOSITORY, OFFLINE_DEADLINES, type AlertRepository, type OfflineDeadlines } from '../../libs/alerts/index.js';
import { InProcessOfflineDeadlines } from '../../libs/alerts/adapters/in-process.offline-deadlines.js';
import { SqliteAlertRepository } from '../../libs/alerts/adapters/sqlite.alert.repository.js';
import { InProcessJudgedFixes } from '../../libs/alerts/adapters/in-process.judged-fixes.js';
import { JUDGED_FIXES, type JudgedFixes } from '../../libs/alerts/index.js';
import type { AppConfig } from '../../libs/config/index.js';
import { GEOFENCE_REPOSITORY, type GeofenceRepository } from '../../libs/geofences/index.js';
import { SqliteGeofenceRepository } from '../../libs/geofences/adapters/sqlite.geofence.repository.js';
import type { StoreLogger } from '../../libs/ops/index.js';
import type { SqliteDatabase } from '../../libs/sqlite/index.js';
import type * as ServerAdapters from './server-adapters.js';
import { WEBHOOK_REPOSITORY, type WebhookRepository } from '../../libs/webhooks/index.js';
import { SqliteWebhookRepository } from '../../libs/webhooks/adapters/sqlite.webhook.repository.js';

/** Issue 11's stores: geofences, alerts, webhooks (+ deliveries) and the offline deadlines. */
export interface AlertAdapters {
  geofences: GeofenceRepository;
  alerts: AlertRepository;
  webhooks: WebhookRepository;
  /** Only processors watch for silent drones and judge points. */
  offlineDeadlines?: OfflineDeadlines;
  judgedFixes?: JudgedFixes;
}

export const ALERT_ADAPTER_TOKENS = {
  geofences: GEOFENCE_REPOSITORY,
  alerts: ALERT_REPOSITORY,
  webhooks: WEBHOOK_REPOSITORY,
  offlineDeadlines: OFFLINE_DEADLINES,
  judgedFixes: JUDGED_FIXES,
} as const;

/**
 * MongoDB when MONGO_URL is set (one client for the three repositories); otherwise tables in the
 * embedded store's SQLite database. Offline deadlines live in Redis when REDIS_URL is set, so
 * every processor replica shares them.
 */
export async function openAlertAdapters(
  config: AppConfig,
  logger: StoreLogger,
  processor: boolean,
  embedded: SqliteDatabase | null,
  servers: typeof ServerAdapters | null,
): Promise<AlertAdapters> {
  const offlineDeadlines = !processor
    ? undefined
    : config.redisUrl
      ? new servers!.RedisOfflineDeadlines(config.redisUrl, `${config.redisKeyPrefix}:`)
      : new InProcessOfflineDeadlines();
  const judgedFixes = !processor
    ? undefined
    : config.redisUrl
      ? new servers!.RedisJudgedFixes(config.redisUrl, `${config.redisKeyPrefix}:`)
      : new InProcessJudgedFixes();
  if (embedded) {
    return {
      geofences: new SqliteGeofenceRepository(embedded),
      alerts: new SqliteAlertRepository(embedded),
      webhooks: new SqliteWebhookRepository(embedded),
      offlineDeadlines,
      judgedFixes,
    };
  }
  const handle = await servers!.connectMongo(config.mongoUrl!, { logger }, 3);
  const geofences = new servers!.MongoGeofenceRepository(handle);
  const alerts = new servers!.MongoAlertRepository(handle);
  const webhooks = new servers!.MongoWebhookRepository(handle);
  try {
    await geofences.init();
    await alerts.init();
    await webhooks.init();
  } catch (err) {
    await Promise.allSettled([geofences.close(), alerts.close(), webhooks.close(), offlineDeadlines?.close(), judgedFixes?.close()]);
    throw err;
  }
  return { geofences, alerts, webhooks, offlineDeadlines, judgedFixes };
}
