import type { RoleEvent } from '../events/index.js';
import type { AlertEvent, AlertView } from './alert.js';

/** An alert opened, resolved or was acknowledged: map streams of the tenant send it. */
export interface AlertChanged extends RoleEvent {
  type: 'alert.changed';
  event: AlertEvent;
  alert: AlertView;
}

export const isAlertChanged = (e: RoleEvent): e is AlertChanged => e.type === 'alert.changed';
