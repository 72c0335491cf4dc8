import { useState } from 'preact/hooks';
import { errorText } from '../../api/client';
import { useApp } from '../../app/context';
import type { Alert } from '../../types';
import { showAlert } from '../../ui/toasts';
import { ALERT_LABELS } from './labels';

/** One alert: type, drone (a click selects it), message, time; Acknowledge on open ones. */
export function AlertRow({ alert: a, actions }: { alert: Alert; actions: boolean }) {
  const app = useApp();
  const [busy, setBusy] = useState(false);
  const ack = async () => {
    setBusy(true);
    try {
      await app.alerts.ack(a.id);
    } catch (e) {
      setBusy(false);
      showAlert(`Could not acknowledge: ${errorText(e)}`);
    }
  };
  return (
    <li class={`alert-row alert-${a.type} ${a.state}`} data-alert-id={a.id} data-testid="alert-row" data-type={a.type}>
      <b>{ALERT_LABELS[a.type]}</b>{' '}
      <button type="button" class="link" onClick={() => app.selection.select(a.droneId, true)}>
        {app.droneName(a.droneId)}
      </button>
      <span class="alert-msg">{a.message}</span>
      <time dateTime={a.openedAt}>{new Date(a.openedAt).toLocaleTimeString()}</time>
      {a.state === 'resolved' && <span class="badge">resolved</span>}
      {a.acknowledgedAt ? (
        <span class="badge" data-testid="acknowledged">
          acknowledged
        </span>
      ) : (
        actions && (
          <button type="button" class="btn btn-small" data-testid="ack" disabled={busy} onClick={() => void ack()}>
            Acknowledge
          </button>
        )
      )}
    </li>
  );
}
