import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

export const ROLE_NAMES = ['ingest', 'processor', 'web'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface RateLimit {
  /** Requests allowed per window; 0 turns the limit off. */
  max: number;
  windowSeconds: number;
}

export interface AppConfig {
  port: number;
  host: string;
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

export type TrustProxy = false | number | string[];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads and validates the process configuration; throws ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const roles = read.roles('ROLES');
  const adminTokenGiven = read.string('ADMIN_TOKEN', { minLength: 16 });
  const jwtSecretGiven = read.string('JWT_SECRET', { minLength: 32 });
  const redisUrl = read.url('REDIS_URL', ['redis:', 'rediss:']);
  const mongoUrl = read.url('MONGO_URL', ['mongodb:', 'mongodb+srv:']);

  const config: AppConfig = {
    port: read.int('PORT', 3000, 0, 65535),
    host: read.string('HOST') ?? '0.0.0.0',
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
    mapTileUrl: read.pattern('MAP_TILE_URL', /^https?:\/\/[^\s/?#]+\S*$/i, 'an http(s) URL template, e.g. https://tile.example.org/{z}/{x}/{y}.png'),
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

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  private raw(name: string): string | null {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? null : value.trim();
  }

  string(name: string, rules: { minLength?: number } = {}): string | null {
    const value = this.raw(name);
    if (value !== null && rules.minLength && value.length < rules.minLength) {
      this.problems.push(`${name} must be at least ${rules.minLength} characters long`);
    }
    return value;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === null) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${value}")`);
      return fallback;
    }
    return Number(value);
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name);
    if (value === null) return fallback;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    this.problems.push(`${name} must be true or false (got "${value}")`);
    return fallback;
  }

  pattern(name: string, re: RegExp, rule: string): string | null {
    const value = this.raw(name);
    if (value !== null && !re.test(value)) {
      this.problems.push(`${name} must be ${rule} (got "${value}")`);
      return null;
    }
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === null) return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
      return fallback;
    }
    return value as T;
  }

  url(name: string, protocols: string[]): string | null {
    const value = this.raw(name);
    if (value === null) return null;
    try {
      const url = new URL(value);
      if (!protocols.includes(url.protocol)) throw new Error('protocol');
      return value;
    } catch {
      this.problems.push(`${name} must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
      return null;
    }
  }

  roles(name: string): ReadonlySet<RoleName> {
    const value = this.raw(name);
    if (value === null) return new Set(ROLE_NAMES);
    const roles = value.split(',').map((r) => r.trim()).filter(Boolean);
    const unknown = roles.filter((r) => !(ROLE_NAMES as readonly string[]).includes(r));
    if (unknown.length > 0 || roles.length === 0) {
      this.problems.push(`${name} must be a comma list of ${ROLE_NAMES.join(', ')} (got "${value}")`);
      return new Set(ROLE_NAMES);
    }
    return new Set(roles as RoleName[]);
  }

  /**
   * TRUST_PROXY: unset/false (trust nobody), a hop count (1..10), or a comma list of IP
   * addresses, CIDRs and proxy-addr's names (loopback, linklocal, uniquelocal). `true` (trust
   * anyone) is refused: any client could then pick its own address.
   */
  trustProxy(name: string): TrustProxy {
    const value = this.raw(name);
    if (value === null || value === 'false' || value === '0') return false;
    if (/^\d+$/.test(value)) {
      if (Number(value) > 10) this.problems.push(`${name} as a hop count must be from 0 to 10 (got "${value}")`);
      return Number(value);
    }
    const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
    const bad = entries.filter((e) => !isTrustedProxyEntry(e));
    if (bad.length > 0 || entries.length === 0) {
      this.problems.push(
        `${name} must be false, a hop count, or a comma list of IP addresses or CIDRs (e.g. 10.0.0.0/8,loopback); not valid: ${bad.join(', ') || value}`,
      );
      return false;
    }
    return entries;
  }

  /** `<NAME>_MAX` requests per `<NAME>_WINDOW_SECONDS`. */
  rateLimit(name: string, max: number, windowSeconds: number): RateLimit {
    return {
      max: this.int(`${name}_MAX`, max, 0, 10_000_000),
      windowSeconds: this.int(`${name}_WINDOW_SECONDS`, windowSeconds, 1, 86400),
    };
  }
}

/** libuv's thread pool size as Node will use it (UV_THREADPOOL_SIZE, default 4, at most 1024). */
function threadPoolSize(env: Env): number {
  const n = Number(env.UV_THREADPOOL_SIZE);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, 1024) : 4;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isTrustedProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const [ip, bits, ...rest] = entry.split('/');
  const family = isIP(ip);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}
