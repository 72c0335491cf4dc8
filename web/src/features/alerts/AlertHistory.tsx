import { useState } from 'preact/hooks';
import { errorText } from '../../api/client';
import { useApp } from '../../app/context';
import { ALERT_TYPES, type Alert } from '../../types';
import { showAlert } from '../../ui/toasts';
import { AlertRow } from './AlertRow';
import { alertsApi } from './alertsApi';
import { ALERT_LABELS } from './labels';

/** Every alert (open and resolved), filtered by type and drone; loaded when opened and on each filter change. */
export function AlertHistory() {
  const app = useApp();
  const [type, setType] = useState('');
  const [droneId, setDroneId] = useState('');
  const [items, setItems] = useState<Alert[]>([]);
  // The drone options are filled on focus: a 10,000-drone fleet would otherwise re-render them with every catalogue page.
  const [droneIds, setDroneIds] = useState<string[]>([]);

  const load = async (f: { type: string; droneId: string }) => {
    try {
      const page = await alertsApi.list({ state: 'all', type: f.type || undefined, droneId: f.droneId || undefined }, 100);
      setItems(page.items);
    } catch (e) {
      showAlert(`Could not load the alert history: ${errorText(e)}`);
    }
  };
  const value = (e: Event) => (e.currentTarget as HTMLSelectElement).value;

  return (
    <details class="alert-history" onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && void load({ type, droneId })}>
      <summary>History</summary>
      <div class="filter-row">
        <select
          aria-label="Alert type filter"
          data-testid="history-type"
          value={type}
          onChange={(e) => {
            setType(value(e));
            void load({ type: value(e), droneId });
          }}
        >
          <option value="">Any type</option>
          {ALERT_TYPES.map((t) => (
            <option key={t} value={t}>
              {ALERT_LABELS[t]}
            </option>
          ))}
        </select>
        <select
          aria-label="Alert drone filter"
          data-testid="history-drone"
          value={droneId}
          onFocus={() => setDroneIds([...app.catalogue.drones.keys()])}
          onChange={(e) => {
            setDroneId(value(e));
            void load({ type, droneId: value(e) });
          }}
        >
          <option value="">Any drone</option>
          {droneIds.map((id) => (
            <option key={id} value={id}>
              {app.droneName(id)}
            </option>
          ))}
        </select>
      </div>
      <ul class="alert-list" data-testid="alert-history">
        {items.map((a) => (
          <AlertRow key={a.id} alert={a} actions={false} />
        ))}
      </ul>
    </details>
  );
}
