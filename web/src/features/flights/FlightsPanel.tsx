import './flights.css';
import { useApp } from '../../app/context';
import { FlightLog } from './FlightLog';
import { ReplayView } from './ReplayView';

/** The flight log of the drone, or the replay of one of its flights (left of the map). */
export function FlightsPanel() {
  const { flights } = useApp();
  const droneId = flights.droneId.value;
  if (!droneId) return null;
  const { replay } = flights;
  const flight = replay.flight.value;
  const track = replay.track.value;
  return (
    <section
      class="map-panel flights-panel"
      data-testid="flight-panel"
      aria-label="Flight log"
      data-drone-id={droneId}
      data-loaded={flights.loaded.value ? 'true' : undefined}
    >
      <header class="detail-head">
        <h2>{flights.title.value}</h2>
        <button
          type="button"
          class="icon-btn"
          aria-label="Close flight log"
          data-testid="flight-panel-close"
          onClick={() => flights.close()}
        >
          ×
        </button>
      </header>
      {flight && track ? <ReplayView replay={replay} flight={flight} track={track} /> : <FlightLog />}
    </section>
  );
}
