export const ROLE_EVENTS = Symbol('RoleEvents');

/**
 * What every event between roles carries. Each module declares its own events (a `type` and a
 * JSON payload) next to its code, with a type guard for subscribers: this port knows none of
 * them, so no module depends on another just to publish.
 */
export interface RoleEvent {
  type: string;
  tenantId: string;
}

export type RoleEventHandler = (event: RoleEvent) => void;

/**
 * Fan-out between roles: every subscriber in every process gets every event published after it
 * subscribed (at-most-once; the store stays the source of truth).
 */
export interface RoleEvents {
  publish<E extends RoleEvent>(event: E): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(handler: RoleEventHandler): Promise<() => void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
