import type { AlertEvent, AlertView } from '../alerts/alert.js';
import type { LiveDrone } from '../cache/live-map.cache.port.js';

export const ROLE_EVENTS = Symbol('RoleEvents');

/** Drone states moved forward: SSE clients of the tenant get them. */
export interface DroneStatesChanged {
  type: 'drone.states';
  tenantId: string;
  drones: LiveDrone[];
}

/** A drone's record or key changed (rotated, deleted): drop cached copies everywhere. */
export interface DroneInvalidated {
  type: 'drone.invalidated';
  tenantId: string;
  droneId: string;
  /** Digest of a device key that stopped working, if any. */
  revokedKeyDigest?: string;
  /** The drone itself was deleted (not only its key rotated). */
  deleted?: boolean;
}

/** A user's role changed or the user was deleted: cached copies go, their open streams close. */
export interface UserInvalidated {
  type: 'user.invalidated';
  tenantId: string;
  userId: string;
}

/** A tenant's geofences changed: processors drop their cached geofence index of the tenant. */
export interface GeofencesChanged {
  type: 'geofences.changed';
  tenantId: string;
}

/** An alert opened, resolved or was acknowledged: map streams of the tenant send it. */
export interface AlertChanged {
  type: 'alert.changed';
  tenantId: string;
  event: AlertEvent;
  alert: AlertView;
}

export type RoleEvent = DroneStatesChanged | DroneInvalidated | UserInvalidated | GeofencesChanged | AlertChanged;
export type RoleEventHandler = (event: RoleEvent) => void;

/**
 * Fan-out between roles: every subscriber in every process gets every event published after it
 * subscribed (at-most-once; the store stays the source of truth).
 */
export interface RoleEvents {
  publish(event: RoleEvent): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(handler: RoleEventHandler): Promise<() => void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
