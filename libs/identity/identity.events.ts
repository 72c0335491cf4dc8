import type { RoleEvent } from '../events/index.js';

/** A drone's record or key changed (rotated, deleted): drop cached copies everywhere. */
export interface DroneInvalidated extends RoleEvent {
  type: 'drone.invalidated';
  droneId: string;
  /** Digest of a device key that stopped working, if any. */
  revokedKeyDigest?: string;
  /** The drone itself was deleted (not only its key rotated). */
  deleted?: boolean;
}

/** A user's role changed or the user was deleted: cached copies go, their open streams close. */
export interface UserInvalidated extends RoleEvent {
  type: 'user.invalidated';
  userId: string;
}

export const isDroneInvalidated = (e: RoleEvent): e is DroneInvalidated => e.type === 'drone.invalidated';
export const isUserInvalidated = (e: RoleEvent): e is UserInvalidated => e.type === 'user.invalidated';
