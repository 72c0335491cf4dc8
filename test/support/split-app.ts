import { mongoDatabaseUrl, testMongoUrl, testRedisUrl, uniqueName } from './real-servers.js';
import { startTestApp } from './test-app.js';

/** Where a suite sends telemetry (ingest) and everything else (web). */
export interface Deployment {
  ingestUrl: string;
  webUrl: string;
  close(): Promise<void>;
}

/** All roles in one process (embedded adapters). */
export async function oneProcess(env: Record<string, string>): Promise<Deployment> {
  const app = await startTestApp(env);
  return { ingestUrl: app.url, webUrl: app.url, close: () => app.close() };
}

/** ingest, processor and web as three in-process apps sharing only the test Redis and MongoDB server. */
export async function splitRoles(env: Record<string, string>): Promise<Deployment> {
  const prefix = uniqueName('split');
  const shared = { ...env, REDIS_URL: testRedisUrl!, MONGO_URL: mongoDatabaseUrl(testMongoUrl!, prefix), REDIS_KEY_PREFIX: prefix };
  const [ingest, processor, web] = await Promise.all(['ingest', 'processor', 'web'].map((ROLES) => startTestApp({ ...shared, ROLES })));
  return {
    ingestUrl: ingest.url,
    webUrl: web.url,
    close: async () => {
      await Promise.allSettled([ingest.close(), web.close()]);
      await processor.close();
    },
  };
}
