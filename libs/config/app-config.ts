import { randomBytes } from 'node:crypto';
import { EnvReader, threadPoolSize, type Env, type RateLimit, type TrustProxy } from './env-reader.js';

export type { RateLimit, TrustProxy } from './env-reader.js';

export const ROLE_NAMES = ['ingest', 'processor', 'web'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface AppConfig {
  port: number;
  host: string;
  /** The deployment's region (the region overlays set it): a label on every metric and log line. */
  region: string | null;
  roles: ReadonlySet<RoleName>;
  adminToken: string;
  /** True when ADMIN_TOKEN was not given and one was generated for this run. */
  adminTokenGenerated: boolean;
  jwtSecret: string;
  jwtExpiresInSeconds: number;
  redisUrl: string | null;
  /** Prefix of every Redis key and channel, so deployments can share one Redis. */
  redisKeyPrefix: string;
  mongoUrl: string | null;
  dataDir: string;
  offlineAfterSeconds: number;
  /** Two in-the-air points further apart than this belong to different flights. */
  flightGapSeconds: number;
  /** false: the processor keeps no flights (to measure its cost; flights then go stale). */
  flightDetection: boolean;
  demo: boolean;
  logLevel: LogLevel;
  /** login: per account and address; loginAddress: per client address, whatever the email. */
  rateLimits: { device: RateLimit; user: RateLimit; login: RateLimit; loginAddress: RateLimit };
  processorConcurrency: number;
  historyRetentionDays: number;
  shutdownGraceSeconds: number;
  /** Optional online tile URL template for the web map; the bundled offline basemap otherwise. */
  mapTileUrl: string | null;
  /**
   * Which peers may set X-Forwarded-For (Fastify's trustProxy): false = none (the socket's peer is
   * the client), a hop count, or a list of addresses/CIDRs.
   */
  trustProxy: TrustProxy;
  /** Open map streams one user may hold in this process. */
  streamMaxPerUser: number;
  /** A request (headers and body) must arrive within this many seconds (408 otherwise). */
  requestTimeoutSeconds: number;
  /** Password hashes/verifications run at once (≤ thread pool size − 2); more wait in a short queue, beyond it 503. */
  passwordHashConcurrency: number;
  /** Webhooks may target loopback/private/link-local addresses (self-hosting, tests). */
  webhookAllowPrivateNetworks: boolean;
  /** First retry delay of a failed webhook delivery; doubles up to one hour. */
  webhookRetryBaseSeconds: number;
  /** A delivery not delivered by this age is failed. */
  webhookMaxAgeHours: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the process configuration; throws ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const roles = read.setOf('ROLES', ROLE_NAMES);
  const adminTokenGiven = read.string('ADMIN_TOKEN', { minLength: 16 });
  const jwtSecretGiven = read.string('JWT_SECRET', { minLength: 32 });
  const redisUrl = read.url('REDIS_URL', ['redis:', 'rediss:']);
  const mongoUrl = read.url('MONGO_URL', ['mongodb:', 'mongodb+srv:']);

  const config: AppConfig = {
    port: read.int('PORT', 3000, 0, 65535),
    host: read.string('HOST') ?? '0.0.0.0',
    region: read.pattern('REGION', /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a DNS label: lowercase letters, digits and -'),
    roles,
    adminToken: adminTokenGiven ?? randomBytes(24).toString('base64url'),
    adminTokenGenerated: adminTokenGiven === null,
    jwtSecret: jwtSecretGiven ?? randomBytes(32).toString('base64url'),
    jwtExpiresInSeconds: read.int('JWT_EXPIRES_IN_SECONDS', 3600, 60, 30 * 24 * 3600),
    redisUrl,
    redisKeyPrefix: read.pattern('REDIS_KEY_PREFIX', /^[A-Za-z0-9_.-]{1,40}$/, 'letters, digits, _ . - (1 to 40)') ?? 'dt',
    mongoUrl,
    dataDir: read.string('DATA_DIR') ?? './data',
    offlineAfterSeconds: read.int('OFFLINE_AFTER_SECONDS', 60, 1, 86400),
    flightGapSeconds: read.int('FLIGHT_GAP_SECONDS', 300, 1, 86400),
    flightDetection: read.bool('FLIGHT_DETECTION', true),
    demo: read.bool('DEMO', false),
    logLevel: read.oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    rateLimits: {
      device: read.rateLimit('RATE_LIMIT_DEVICE', 50, 1),
      user: read.rateLimit('RATE_LIMIT_USER', 600, 60),
      login: read.rateLimit('RATE_LIMIT_LOGIN', 10, 60),
      loginAddress: read.rateLimit('RATE_LIMIT_LOGIN_ADDRESS', 60, 60),
    },
    processorConcurrency: read.int('PROCESSOR_CONCURRENCY', 4, 1, 256),
    historyRetentionDays: read.int('HISTORY_RETENTION_DAYS', 30, 1, 3650),
    shutdownGraceSeconds: read.int('SHUTDOWN_GRACE_SECONDS', 25, 1, 3600),
    mapTileUrl: read.pattern(
      'MAP_TILE_URL',
      /^https?:\/\/[^\s/?#]+\S*$/i,
      'an http(s) URL template, e.g. https://tile.example.org/{z}/{x}/{y}.png',
    ),
    trustProxy: read.trustProxy('TRUST_PROXY'),
    streamMaxPerUser: read.int('STREAM_MAX_PER_USER', 10, 1, 10_000),
    requestTimeoutSeconds: read.int('REQUEST_TIMEOUT_SECONDS', 30, 1, 3600),
    // Hashing runs on libuv's thread pool (UV_THREADPOOL_SIZE, default 4): two threads always stay free for fsync.
    passwordHashConcurrency: read.int('PASSWORD_HASH_CONCURRENCY', 1, 1, Math.max(1, threadPoolSize(env) - 2)),
    webhookAllowPrivateNetworks: read.bool('WEBHOOK_ALLOW_PRIVATE_NETWORKS', false),
    webhookRetryBaseSeconds: read.int('WEBHOOK_RETRY_BASE_SECONDS', 5, 1, 3600),
    webhookMaxAgeHours: read.int('WEBHOOK_MAX_AGE_HOURS', 24, 1, 24 * 30),
  };

  const split = roles.size < ROLE_NAMES.length;
  if (split && (!redisUrl || !mongoUrl)) {
    problems.push(
      `ROLES=${[...roles].join(',')} runs only part of the system; split roles share state only through ` +
        'Redis and MongoDB, so REDIS_URL and MONGO_URL must both be set (or run all roles in one process)',
    );
  }
  if (split && jwtSecretGiven === null) {
    problems.push('JWT_SECRET must be set when roles are split, so every web replica accepts the same tokens');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

export function hasRole(config: AppConfig, role: RoleName): boolean {
  return config.roles.has(role);
}
