import { useApp } from '../../app/context';
import { fmtBatteryUsed, fmtDate, fmtDistance, fmtDuration, fmtMaxHeight } from './flightFormat';

const COLUMNS = ['Date', 'Duration', 'Distance', 'Max height', 'Battery used'];

/** The drone's flights, newest first: one row per flight; a click opens its replay. */
export function FlightLog() {
  const { flights } = useApp();
  const list = flights.flights.value;
  return (
    <div class="flight-log">
      <table class="flight-table" data-testid="flight-log-table">
        <thead>
          <tr>
            {COLUMNS.map((t) => (
              <th key={t}>{t}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {list.map((f) => (
            <tr
              key={f.id}
              data-flight-id={f.id}
              tabIndex={0}
              class={f.ongoing ? 'ongoing' : ''}
              onClick={() => void flights.replay.open(f)}
            >
              <td>
                {fmtDate(f.startedAt)}
                {f.ongoing && <span class="badge">in the air</span>}
              </td>
              <td>{fmtDuration(f.durationSeconds)}</td>
              <td>{fmtDistance(f.distanceMeters)}</td>
              <td>{fmtMaxHeight(f)}</td>
              <td>{fmtBatteryUsed(f)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {flights.loaded.value && list.length === 0 && <p class="muted">No flights recorded yet.</p>}
      {flights.hasMore.value && (
        <button type="button" class="btn" data-testid="flight-log-more" onClick={() => void flights.loadPage()}>
          Older flights
        </button>
      )}
    </div>
  );
}
