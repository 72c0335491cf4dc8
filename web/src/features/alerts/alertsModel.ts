import { computed, signal } from '@preact/signals';
import { errorText, isUnauthorized } from '../../api/client';
import type { Alert } from '../../types';
import { showAlert } from '../../ui/toasts';
import { alertsApi } from './alertsApi';

/** The tenant's open alerts: loaded once, then kept live from the stream's `event: alert`. */
export class AlertsModel {
  private readonly byId = new Map<string, Alert>();
  /** Newest first. */
  readonly open = signal<Alert[]>([]);
  /** Drones with an open alert: a badge in the list, a ring on the map. */
  readonly openDroneIds = computed(() => new Set(this.open.value.map((a) => a.droneId)));

  async load(): Promise<void> {
    try {
      const page = await alertsApi.list({ state: 'open' }, 500);
      this.byId.clear();
      for (const a of page.items) this.byId.set(a.id, a);
      this.publish();
    } catch (e) {
      if (!isUnauthorized(e)) showAlert(`Could not load the alerts: ${errorText(e)}`);
    }
  }

  /** An `event: alert` from the stream: opened, resolved or acknowledged. */
  ingestRaw(data: string): void {
    let a: Alert;
    try {
      a = JSON.parse(data) as Alert;
    } catch {
      return;
    }
    this.apply(a);
  }

  /** Any user may acknowledge. Throws on refusal (the row shows it). */
  async ack(id: string): Promise<void> {
    this.apply(await alertsApi.ack(id));
  }

  private apply(a: Alert): void {
    if (a.state === 'open') this.byId.set(a.id, a);
    else this.byId.delete(a.id);
    this.publish();
  }

  private publish(): void {
    this.open.value = [...this.byId.values()].sort((a, b) => b.openedAt.localeCompare(a.openedAt));
  }
}
