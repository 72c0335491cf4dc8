import { Inject, Injectable, type OnModuleInit, type OnModuleDestroy } from '@nestjs/common';
import type { DeviceKeyOwner } from '../core/index.js';
import { ROLE_EVENTS, type RoleEvents } from '../events/index.js';
import { isDroneInvalidated } from './identity.events.js';
import { IDENTITY_REPOSITORY, type IdentityRepository } from '../store/index.js';
import { deviceKeyDigest, looksLikeDeviceKey } from './device-keys.js';

const POSITIVE_TTL_MS = 30_000;
const NEGATIVE_TTL_MS = 2_000;
const MAX_ENTRIES = 100_000;

interface Entry {
  owner: DeviceKeyOwner | null;
  expires: number;
}

/**
 * Resolves a device key to its drone on every ingest request: digest, then an in-process cache,
 * then one indexed lookup. Rotation and deletion evict the digest in every process through role
 * events; the TTL bounds staleness if an event is lost.
 */
@Injectable()
export class DeviceKeyAuthenticator implements OnModuleInit, OnModuleDestroy {
  private readonly cache = new Map<string, Entry>();
  /**
   * Key → digest, remembered: SHA-256 per request was ~3 % of single-point ingest's CPU. It is
   * a pure function's memo (what a key may do is still decided by `cache`, which rotation and
   * deletion evict), held in memory only, bounded like the cache.
   */
  private readonly digests = new Map<string, string>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    @Inject(IDENTITY_REPOSITORY) private readonly identity: IdentityRepository,
    @Inject(ROLE_EVENTS) private readonly events: RoleEvents,
  ) {}

  async onModuleInit(): Promise<void> {
    this.unsubscribe = await this.events.subscribe((event) => {
      if (isDroneInvalidated(event) && event.revokedKeyDigest) this.evict(event.revokedKeyDigest);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** Returns the key's digest and owner, or null for an unknown, revoked or malformed key. */
  async authenticate(key: string): Promise<{ digest: string; owner: DeviceKeyOwner } | null> {
    if (!looksLikeDeviceKey(key)) return null;
    let digest = this.digests.get(key);
    if (digest === undefined) {
      if (this.digests.size >= MAX_ENTRIES) this.digests.clear();
      digest = deviceKeyDigest(key);
      this.digests.set(key, digest);
    }
    const now = Date.now();
    const hit = this.cache.get(digest);
    if (hit && hit.expires > now) return hit.owner ? { digest, owner: hit.owner } : null;
    const owner = await this.identity.findDeviceKey(digest);
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(digest, { owner, expires: now + (owner ? POSITIVE_TTL_MS : NEGATIVE_TTL_MS) });
    return owner ? { digest, owner } : null;
  }

  evict(digest: string): void {
    this.cache.delete(digest);
  }
}
