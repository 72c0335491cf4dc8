import { Logger } from '@nestjs/common';
import { ClientRedis, ServerRedis, type RedisOptions } from '@nestjs/microservices';
import type { Redis } from 'ioredis';
import { lastValueFrom } from 'rxjs';
import type { RoleEvent, RoleEventHandler, RoleEvents } from '../role-events.port.js';
import { deliver } from './in-process.role-events.js';
import { redisOptionsFromUrl } from '../../redis/index.js';

export interface RedisRoleEventsOptions {
  redisUrl: string;
  /**
   * Namespace of the channel (`<prefix>:role-events`). Redis pub/sub channels are global to the
   * server (the URL's db number does not scope them), so deployments sharing a Redis need
   * different prefixes.
   */
  prefix?: string;
}

type NestRedisOptions = Required<RedisOptions>['options'];

/**
 * Fan-out between processes over Redis pub/sub, through Nest's Redis transport: `ClientRedis`
 * emits events, a `ServerRedis` with one event handler receives them and hands them to the local
 * subscribers. Every process subscribed gets every event; a process that is disconnected at the
 * moment misses it (at-most-once, as the port says).
 *
 * The server (two more connections) starts on the first `subscribe`, so publish-only roles
 * never open it.
 */
export class RedisRoleEvents implements RoleEvents {
  readonly channel: string;
  private readonly logger = new Logger(RedisRoleEvents.name);
  private readonly options: NestRedisOptions;
  private readonly client: ClientRedis;
  private server: ServerRedis | null = null;
  private listening: Promise<void> | null = null;
  private readonly handlers = new Set<RoleEventHandler>();
  private closed = false;

  constructor(options: RedisRoleEventsOptions) {
    this.channel = `${options.prefix ?? 'dronetrack'}:role-events`;
    this.options = {
      ...redisOptionsFromUrl(options.redisUrl),
      // Without retryAttempts Nest gives up on the first dropped connection for good.
      retryAttempts: Number.POSITIVE_INFINITY,
      retryDelay: 1000,
    };
    this.client = new ClientRedis(this.options);
  }

  async publish<E extends RoleEvent>(event: E): Promise<void> {
    if (this.closed) throw new Error('role events are closed');
    try {
      // emit() is hot: it publishes at once; the observable completes when Redis took the message.
      await lastValueFrom(this.client.emit(this.channel, event), { defaultValue: undefined });
    } catch (err) {
      throw asError(err);
    }
  }

  async subscribe(handler: RoleEventHandler): Promise<() => void> {
    if (this.closed) throw new Error('role events are closed');
    const entry: RoleEventHandler = (event) => handler(event);
    this.handlers.add(entry);
    try {
      await this.listen();
    } catch (err) {
      this.handlers.delete(entry);
      throw err;
    }
    return () => void this.handlers.delete(entry);
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('role events are closed');
    try {
      await this.client.connect();
      const [pub] = this.client.unwrap<[Redis, Redis]>();
      await pub.ping();
    } catch (err) {
      throw asError(err);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.handlers.clear();
    await this.listening?.catch(() => undefined);
    await Promise.all([this.client.close(), this.server?.close()]);
  }

  private listen(): Promise<void> {
    this.listening ??= this.startServer().catch(async (err: unknown) => {
      // A ServerRedis cannot be restarted after close(); the next subscribe builds a new one.
      const failed = this.server;
      this.server = null;
      this.listening = null;
      await failed?.close().catch(() => undefined);
      throw err;
    });
    return this.listening;
  }

  private async startServer(): Promise<void> {
    const server = new ServerRedis(this.options);
    this.server = server;
    server.addHandler(this.channel, async (event: RoleEvent) => deliver(this.handlers, event, this.logger), true);
    await new Promise<void>((resolve, reject) => void server.listen((err) => (err ? reject(err) : resolve())));
    // listen() reports success before Redis confirmed the SUBSCRIBE it sent; subscribing again
    // (idempotent) and awaiting the reply makes sure events published after subscribe() arrive.
    const [, sub] = server.unwrap<[Redis, Redis]>();
    await sub.subscribe(this.channel);
  }
}

/** While reconnecting, ClientRedis rejects with a bare string; callers deserve an Error. */
function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
