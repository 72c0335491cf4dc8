import { InProcessJudgedFixes } from '../../libs/alerts/adapters/in-process.judged-fixes.js';
import { judgedFixesContract } from './judged-fixes.contract.js';
import { InProcessOfflineDeadlines } from '../../libs/alerts/adapters/in-process.offline-deadlines.js';
import { MemoryAlertRepository } from '../../libs/alerts/adapters/memory.alert.repository.js';
import { MemoryGeofenceRepository } from '../../libs/geofences/adapters/memory.geofence.repository.js';
import { MemoryWebhookRepository } from '../../libs/webhooks/adapters/memory.webhook.repository.js';
import { alertStoreContract } from './alert-store.contract.js';
import { geofenceStoreContract } from './geofence-store.contract.js';
import { offlineDeadlinesContract } from './offline-deadlines.contract.js';
import { webhookStoreContract } from './webhook-store.contract.js';

geofenceStoreContract('in memory', async () => new MemoryGeofenceRepository());
alertStoreContract('in memory', async () => new MemoryAlertRepository());
webhookStoreContract('in memory', async () => new MemoryWebhookRepository());
offlineDeadlinesContract('in process', async () => new InProcessOfflineDeadlines(), false);
judgedFixesContract('in process', async () => new InProcessJudgedFixes(), false);
