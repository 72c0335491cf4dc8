import { useEffect } from 'preact/hooks';
import './detail.css';
import { serverNow } from '../../api/client';
import { useApp } from '../../app/context';
import type { DroneProps } from '../../types';
import { FieldList } from '../../ui/FieldList';
import { fmtAgo, fmtAltitude, fmtBattery, fmtCoord, fmtHeading, fmtSpeed } from '../../ui/format';
import { isOnline } from '../drones/listModel';
import { deleteDrone, rotateKey } from './droneActions';

/** The selected drone (data-testid="drone-detail"): its values, track size, flight log and admin actions. */
export function DetailPanel() {
  const app = useApp();
  const { selection, catalogue, store } = app;
  const id = selection.id.value;
  void selection.tick.value; // live values, track, "last seen" age
  void catalogue.version.value; // the name arrives with the catalogue

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && selection.id.peek() && !document.querySelector('dialog[open]')) selection.select(null);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [selection]);

  if (!id) return null;
  const drone = catalogue.get(id);
  const p: Partial<DroneProps> | null = store.props(id) ?? drone?.state ?? null;
  const online = isOnline(p);
  const name = drone?.name ?? p?.name ?? id;
  const points = selection.trackPoints;

  return (
    <section class="map-panel detail" data-testid="drone-detail" aria-label="Selected drone" data-drone-id={id}>
      <header class="detail-head">
        <h2 data-field="name">{name}</h2>
        <button type="button" class="icon-btn" aria-label="Close details" data-testid="detail-close" onClick={() => selection.select(null)}>
          ×
        </button>
      </header>
      <FieldList
        fields={[
          { key: 'serialNumber', label: 'Serial number', value: drone?.serialNumber || '—' },
          { key: 'model', label: 'Model', value: drone?.model || '—' },
          { key: 'status', label: 'Status', value: p?.status ?? (p ? 'unknown' : 'no position yet') },
          {
            key: 'online',
            label: 'Connection',
            value: p ? (online ? 'online' : 'offline') : 'never seen',
            class: p && !online ? 'off' : undefined,
          },
          { key: 'battery', label: 'Battery', value: fmtBattery(p), class: p?.lowBattery ? 'low' : undefined },
          { key: 'speed', label: 'Speed', value: fmtSpeed(p?.speed) },
          { key: 'altitude', label: 'Altitude', value: fmtAltitude(p?.altitude) },
          { key: 'heading', label: 'Heading', value: fmtHeading(p?.heading) },
          { key: 'position', label: 'Position', value: fmtCoord(p?.lat, p?.lon) },
          { key: 'lastSeen', label: 'Last seen', value: p ? fmtAgo(p.lastSeenAt ?? p.timestamp, serverNow()) : 'never' },
          { key: 'track', label: 'Track (15 min)', value: points == null ? 'loading…' : `${points} point${points === 1 ? '' : 's'}` },
        ]}
      />
      <div class="detail-admin">
        <button type="button" class="btn" data-testid="open-flight-log" onClick={() => void app.flights.open(id, name)}>
          Flight log
        </button>
      </div>
      {app.isAdmin.value && (
        <div class="detail-admin">
          <button type="button" class="btn" data-testid="rotate-key" onClick={() => void rotateKey(id, name)}>
            Rotate device key
          </button>
          <button
            type="button"
            class="btn btn-danger"
            data-testid="delete-drone"
            onClick={() => void deleteDrone(id, name, catalogue, selection)}
          >
            Delete drone
          </button>
        </div>
      )}
    </section>
  );
}
