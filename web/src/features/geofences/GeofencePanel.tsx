import './geofences.css';
import { useApp } from '../../app/context';
import { bandLabel, RULE_COLORS } from './rules';

/** The geofence list; for admins the drawing tools (viewers see the geofences, no controls). */
export function GeofencePanel() {
  const app = useApp();
  const { geofences } = app;
  const admin = app.isAdmin.value;
  const drawing = geofences.drawing.value;
  const n = drawing?.vertices.length ?? 0;
  return (
    <section class="geofence-panel" aria-label="Geofences" data-testid="geofence-panel">
      <h2>Geofences</h2>
      {admin && (
        <div class="geofence-tools">
          <button type="button" class="btn" data-testid="geofence-new" onClick={() => geofences.startDrawing(null)}>
            New geofence
          </button>
          <button type="button" class="btn btn-primary" data-testid="geofence-finish" onClick={() => void geofences.finish()}>
            Finish
          </button>
          <button type="button" class="btn" data-testid="geofence-cancel" onClick={() => geofences.stopDrawing()}>
            Cancel
          </button>
        </div>
      )}
      {drawing && (
        <p class="hint" data-testid="draw-hint">
          {n === 0 ? 'Click the map to add vertices, then Finish.' : `${n} vertices; Finish when done (3 or more).`}
        </p>
      )}
      <ul class="geofence-list" data-testid="geofence-list">
        {geofences.fences.value.map((g) => (
          <li key={g.id} class="geofence-item" data-testid="geofence-item" data-rule={g.rule} onClick={() => void geofences.edit(g)}>
            <i class="swatch" style={`--c:${RULE_COLORS[g.rule]}`} />
            {g.name}
            <small>{` ${g.rule} ${bandLabel(g)}${g.active ? '' : ' (inactive)'}`}</small>
          </li>
        ))}
      </ul>
    </section>
  );
}
