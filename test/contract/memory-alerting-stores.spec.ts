import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessOfflineDeadlines } from '../../libs/alerts/adapters/in-process.offline-deadlines.js';
import { MemoryAlertRepository } from '../../libs/alerts/adapters/memory.alert.repository.js';
import { MemoryGeofenceRepository } from '../../libs/geofences/adapters/memory.geofence.repository.js';
import { MemoryWebhookRepository } from '../../libs/webhooks/adapters/memory.webhook.repository.js';
import { alertStoreContract } from './alert-store.contract.js';
import { geofenceStoreContract } from './geofence-store.contract.js';
import { offlineDeadlinesContract } from './offline-deadlines.contract.js';
import { webhookStoreContract } from './webhook-store.contract.js';

const root = mkdtempSync(join(tmpdir(), 'dt-alerting-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

geofenceStoreContract('in memory', async () => new MemoryGeofenceRepository());
alertStoreContract('in memory', async () => new MemoryAlertRepository());
webhookStoreContract('in memory', async () => new MemoryWebhookRepository());

const geofenceLog = join(root, 'geofences.log');
geofenceStoreContract('embedded (logged)', async () => new MemoryGeofenceRepository(geofenceLog), async (old) => {
  await old.close();
  return new MemoryGeofenceRepository(geofenceLog);
});
const alertLog = join(root, 'alerts.log');
alertStoreContract('embedded (logged)', async () => new MemoryAlertRepository(alertLog), async (old) => {
  await old.close();
  return new MemoryAlertRepository(alertLog);
});
const paths = { webhooks: join(root, 'webhooks.log'), deliveries: join(root, 'deliveries.log') };
webhookStoreContract('embedded (logged)', async () => new MemoryWebhookRepository(paths), async (old) => {
  await old.close();
  return new MemoryWebhookRepository(paths);
});

offlineDeadlinesContract('in process', async () => new InProcessOfflineDeadlines(), false);
