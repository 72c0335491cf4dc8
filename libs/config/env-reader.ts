import { isIP } from 'node:net';

export type Env = Record<string, string | undefined>;

export interface RateLimit {
  /** Requests allowed per window; 0 turns the limit off. */
  max: number;
  windowSeconds: number;
}

export type TrustProxy = false | number | string[];

/** Reads environment variables by rule; every broken rule is collected in `problems`, naming the variable. */
export class EnvReader {
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

  /** A comma list of allowed names; unset means all of them. */
  setOf<T extends string>(name: string, allowed: readonly T[]): ReadonlySet<T> {
    const value = this.raw(name);
    if (value === null) return new Set(allowed);
    const items = value
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean);
    const unknown = items.filter((r) => !(allowed as readonly string[]).includes(r));
    if (unknown.length > 0 || items.length === 0) {
      this.problems.push(`${name} must be a comma list of ${allowed.join(', ')} (got "${value}")`);
      return new Set(allowed);
    }
    return new Set(items as T[]);
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
    const entries = value
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
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
export function threadPoolSize(env: Env): number {
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
