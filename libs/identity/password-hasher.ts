import { Inject, Injectable } from '@nestjs/common';
import { OverloadedError } from '../core/index.js';
import argon2 from 'argon2';
import { APP_CONFIG, type AppConfig } from '../config/index.js';

/** Waiting hash jobs beyond the running ones; more are refused at once instead of queueing up. */
const QUEUE_PER_SLOT = 8;

/**
 * argon2id with OWASP's recommended parameters (19 MiB, 2 passes, 1 lane): one lane keeps a hash
 * on one core instead of four threads crowding out the event loop. Hashes made with other
 * parameters (the library's old defaults) still verify: the parameters are in the hash.
 */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Password hashing, slow on purpose. Every hash and verify
 * runs on libuv's thread pool, which the embedded queue's and store's fsync need too: so only
 * PASSWORD_HASH_CONCURRENCY of them run at once (config keeps it at least two below the pool's
 * size), a few wait, and the rest are refused with 503, so a login flood cannot stall ingest.
 */
@Injectable()
export class PasswordHasher {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly slots: number;
  private dummy: Promise<string> | null = null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.slots = config.passwordHashConcurrency;
  }

  /** True while every slot runs and the queue is full: a new hash would be refused. */
  get saturated(): boolean {
    return this.running >= this.slots && this.waiting.length >= this.slots * QUEUE_PER_SLOT;
  }

  hash(password: string): Promise<string> {
    return this.gated(() => argon2.hash(password, ARGON2_OPTIONS));
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.gated(() => argon2.verify(hash, password).catch(() => false));
  }

  /** Verifies against a throwaway hash so unknown emails take as long as wrong passwords (and wait in the same gate). */
  async burnCheck(password: string): Promise<void> {
    this.dummy ??= this.hash('not-a-real-password').catch((err: unknown) => {
      this.dummy = null;
      throw err;
    });
    await this.verify(await this.dummy, password);
  }

  private async gated<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots) {
      if (this.waiting.length >= this.slots * QUEUE_PER_SLOT) throw passwordChecksBusy();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // Hands the slot straight to the next waiter, or frees it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/** The answer while the gate is full: a 503 the client may retry after a short wait. */
export const passwordChecksBusy = () => new OverloadedError(2, 'too many sign-ins at once; retry in a few seconds');
