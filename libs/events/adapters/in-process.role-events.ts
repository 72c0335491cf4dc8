import { Logger } from '@nestjs/common';
import type { RoleEvent, RoleEventHandler, RoleEvents } from '../role-events.port.js';

/**
 * Fan-out within one process (single-node deployments, tests). Subscribers get the published
 * object itself, synchronously, so they must treat it as read-only; one throwing subscriber does
 * not keep the event from the others.
 */
export class InProcessRoleEvents implements RoleEvents {
  private readonly logger = new Logger(InProcessRoleEvents.name);
  /** Wrappers, so the same function subscribed twice is two subscriptions. */
  private readonly handlers = new Set<RoleEventHandler>();
  private closed = false;

  async publish<E extends RoleEvent>(event: E): Promise<void> {
    if (this.closed) throw new Error('role events are closed');
    deliver(this.handlers, event, this.logger);
  }

  async subscribe(handler: RoleEventHandler): Promise<() => void> {
    if (this.closed) throw new Error('role events are closed');
    const entry: RoleEventHandler = (event) => handler(event);
    this.handlers.add(entry);
    return () => void this.handlers.delete(entry);
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('role events are closed');
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
  }
}

/** Calls every handler; a throwing one is logged, never propagated. */
export function deliver(handlers: Iterable<RoleEventHandler>, event: RoleEvent, logger: Logger): void {
  for (const handler of [...handlers]) {
    try {
      handler(event);
    } catch (err) {
      logger.error(`role event subscriber failed on ${event.type}: ${String(err)}`);
    }
  }
}
