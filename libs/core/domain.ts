export type UserRole = 'admin' | 'viewer';

export interface Tenant {
  id: string;
  name: string;
  createdAt: number;
}

export interface User {
  id: string;
  tenantId: string;
  email: string;
  role: UserRole;
  passwordHash: string;
  createdAt: number;
  /**
   * Bumped on every role change: access tokens carry the version they were issued at and stop
   * working once it moved. Absent in records from before it existed, meaning 0.
   */
  tokenVersion?: number;
}

export interface Drone {
  id: string;
  tenantId: string;
  name: string;
  serialNumber: string | null;
  model: string | null;
  createdAt: number;
  /** Set when deleted: the drone disappears from lists and its key stops working, its history stays. */
  deletedAt: number | null;
}

/** What a device key digest resolves to. */
export interface DeviceKeyOwner {
  tenantId: string;
  droneId: string;
}
