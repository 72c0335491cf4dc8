import { join } from 'node:path';
import { LIVE_MAP_CACHE, type LiveMapCache } from '../../libs/cache/index.js';
import { MemoryLiveMapCache } from '../../libs/cache/adapters/memory-live-map.cache.js';
import { hasRole, type AppConfig } from '../../libs/config/index.js';
import { ROLE_EVENTS, type RoleEvents } from '../../libs/events/index.js';
import { InProcessRoleEvents } from '../../libs/events/adapters/in-process.role-events.js';
import { MemoryRateLimiter } from '../../libs/rate-limit/adapters/memory-rate-limiter.js';
import { RATE_LIMITER, type RateLimiter } from '../../libs/rate-limit/index.js';
import type { JsonLogger } from '../../libs/ops/index.js';
import type { ReadinessCheck } from '../../libs/ops/index.js';
import { TELEMETRY_QUEUE, type TelemetryQueue } from '../../libs/queue/index.js';
import { EmbeddedTelemetryQueue } from '../../libs/queue/adapters/embedded-telemetry-queue.js';
import { FLIGHT_REPOSITORY, type FlightRepository } from '../../libs/flights/index.js';
import { SqliteFlightRepository } from '../../libs/flights/adapters/sqlite.flight.repository.js';
import { DRONE_LOCKS, type DroneLocks } from '../../libs/drone-locks/index.js';
import { InProcessDroneLocks } from '../../libs/drone-locks/adapters/in-process.drone-locks.js';
import { IDENTITY_REPOSITORY, TELEMETRY_REPOSITORY, type IdentityRepository, type TelemetryRepository } from '../../libs/store/index.js';
import { openEmbeddedStore } from '../../libs/store/adapters/embedded.store.js';
import { ALERT_ADAPTER_TOKENS, openAlertAdapters, type AlertAdapters } from './alerting.js';
import { startIdleHeapTrim } from '../heap-trim.js';
import type * as ServerAdapters from './server-adapters.js';

/** The Redis and MongoDB adapters (server-adapters.ts), loaded only when a server is configured. */
async function loadServerAdapters(config: Pick<AppConfig, 'redisUrl' | 'mongoUrl'>): Promise<typeof ServerAdapters | null> {
  return config.redisUrl || config.mongoUrl ? import('./server-adapters.js') : null;
}

/** The adapters one process needs, chosen by its roles and by which servers are configured. */
export interface Adapters extends Partial<AlertAdapters> {
  queue?: TelemetryQueue;
  cache?: LiveMapCache;
  events: RoleEvents;
  rateLimiter?: RateLimiter;
  identity: IdentityRepository;
  telemetry?: TelemetryRepository;
  flights?: FlightRepository;
  droneLocks?: DroneLocks;
  /** Embedded queue only: returns the heap after bursts (src/heap-trim.ts). */
  heapTrim?: { close(): Promise<void> };
}

/** Points the embedded queue holds in memory before ingest waits (~25 MB at worst): bounds RSS under overload. */
const EMBEDDED_QUEUE_MAX_POINTS = 50_000;

export const ADAPTER_TOKENS = {
  queue: TELEMETRY_QUEUE,
  cache: LIVE_MAP_CACHE,
  events: ROLE_EVENTS,
  rateLimiter: RATE_LIMITER,
  identity: IDENTITY_REPOSITORY,
  telemetry: TELEMETRY_REPOSITORY,
  flights: FLIGHT_REPOSITORY,
  droneLocks: DRONE_LOCKS,
  ...ALERT_ADAPTER_TOKENS,
} as const;

/**
 * Opens only what the roles use: ingest needs the queue, keys, live cache, events and rate limits;
 * the processor the queue, store, cache and events; web the store, cache, events and rate limits.
 */
export async function openAdapters(config: AppConfig, logger: JsonLogger): Promise<Adapters> {
  const ingest = hasRole(config, 'ingest');
  const processor = hasRole(config, 'processor');
  const web = hasRole(config, 'web');
  const redis = config.redisUrl;
  // Non-null whenever redis or config.mongoUrl is set, which is when the branches below use it.
  const servers = await loadServerAdapters(config);
  const opened: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(a: T): T => (opened.push(a), a);

  try {
    const embedded = config.mongoUrl
      ? null
      : await openEmbeddedStore(join(config.dataDir, 'store'), {
          logger: storeLogger(logger),
          onLegacyImport: (file, records) =>
            logger.event('info', 'imported a log of the previous embedded store format', { file, records }),
        });
    const store = embedded ?? (await servers!.connectMongoStore(config.mongoUrl!, { logger: storeLogger(logger) }));
    track(store.identity);
    // Ingest never reads telemetry: release its share of the store now, or closeAdapters would
    // leave it (and the MongoDB client both repositories share) open after shutdown.
    if (processor || web) track(store.telemetry);
    else await store.telemetry.close();
    const adapters: Adapters = {
      identity: store.identity,
      events: track(redis ? new servers!.RedisRoleEvents({ redisUrl: redis, prefix: config.redisKeyPrefix }) : new InProcessRoleEvents()),
    };
    if (processor || web) adapters.telemetry = store.telemetry;
    // Flights live next to the history: in the embedded database, or on MongoDB.
    if (processor || web) {
      adapters.flights = track(
        embedded
          ? new SqliteFlightRepository(embedded.database)
          : await servers!.MongoFlightRepository.connect(config.mongoUrl!, { logger: storeLogger(logger) }),
      );
    }
    if (ingest || processor) {
      if (redis) adapters.queue = track(new servers!.BullTelemetryQueue({ redisUrl: redis, prefix: `${config.redisKeyPrefix}:bull` }));
      else {
        const queue = (adapters.queue = track(
          new EmbeddedTelemetryQueue({
            path: join(config.dataDir, 'queue', 'telemetry-queue.log'),
            // A job is forgotten only once what it wrote to SQLite is fsynced (commits do not fsync).
            durableBeforeAck: embedded ? () => embedded.database.syncToDisk() : undefined,
            maxPendingPoints: EMBEDDED_QUEUE_MAX_POINTS,
          }),
        ));
        // One process holds everything here: give the heap back once a burst has been processed.
        const activity = { idle: async () => (await queue.depth()) === 0, enqueued: () => queue.enqueuedJobs };
        adapters.heapTrim = track(stoppable(startIdleHeapTrim(activity)));
      }
    }
    // Processors serialise a drone's flight updates and alert judging; across replicas that needs Redis.
    if (processor)
      adapters.droneLocks = track(redis ? new servers!.RedisDroneLocks(redis, `${config.redisKeyPrefix}:`) : new InProcessDroneLocks());
    // Every role: ingest and the processor put positions on the live map, web reads it.
    adapters.cache = track(redis ? new servers!.RedisLiveMapCache(redis, `${config.redisKeyPrefix}:`) : new MemoryLiveMapCache());
    if (processor || web) {
      const alerting = await openAlertAdapters(config, storeLogger(logger), processor, embedded?.database ?? null, servers);
      for (const a of Object.values(alerting)) if (a) track(a);
      Object.assign(adapters, alerting);
    }
    if (ingest || web)
      adapters.rateLimiter = track(redis ? new servers!.RedisRateLimiter(redis, `${config.redisKeyPrefix}:`) : new MemoryRateLimiter());
    return adapters;
  } catch (err) {
    await Promise.allSettled(opened.map((a) => a.close()));
    throw err;
  }
}

/** Closes in dependency order: the queue first (its consumers are already stopped), stores last. */
export async function closeAdapters(a: Adapters): Promise<void> {
  const steps = [
    a.heapTrim,
    a.queue,
    a.events,
    a.cache,
    a.rateLimiter,
    a.droneLocks,
    a.judgedFixes,
    a.offlineDeadlines,
    a.webhooks,
    a.alerts,
    a.geofences,
    a.flights,
    a.telemetry,
    a.identity,
  ];
  for (const step of steps) {
    if (!step) continue;
    try {
      await step.close();
    } catch {
      /* closing is best effort: the process is exiting */
    }
  }
}

export function readinessChecks(a: Adapters): ReadinessCheck[] {
  const checks: ReadinessCheck[] = [{ name: 'store', check: () => a.identity.ping() }];
  if (a.queue) checks.push({ name: 'queue', check: () => a.queue!.ping() });
  if (a.cache) checks.push({ name: 'cache', check: () => a.cache!.ping() });
  checks.push({ name: 'events', check: () => a.events.ping() });
  return checks;
}

function stoppable(stop: () => void): { close(): Promise<void> } {
  return { close: async () => stop() };
}

function storeLogger(logger: JsonLogger) {
  return {
    error: (msg: string, ...meta: unknown[]) =>
      logger.event('error', msg, { component: 'store', detail: meta.map((m) => (m instanceof Error ? m.message : m)) }),
  };
}
