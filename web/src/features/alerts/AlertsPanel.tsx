import './alerts.css';
import { useApp } from '../../app/context';
import { AlertHistory } from './AlertHistory';
import { AlertRow } from './AlertRow';

/** Open alerts, live from the stream, with Acknowledge; the history below. */
export function AlertsPanel() {
  const { alerts } = useApp();
  const open = alerts.open.value;
  return (
    <section class="alerts-panel" aria-label="Alerts" data-testid="alerts-panel">
      <h2>
        Alerts{' '}
        <span class="alerts-count" data-testid="open-alert-count">
          {open.length}
        </span>
      </h2>
      <ul class="alert-list" data-testid="open-alerts">
        {open.map((a) => (
          <AlertRow key={a.id} alert={a} actions />
        ))}
      </ul>
      <AlertHistory />
    </section>
  );
}
