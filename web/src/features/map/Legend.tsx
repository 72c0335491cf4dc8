import { STATUSES } from '../../types';
import { LOW_BATTERY_COLOR, OFFLINE_COLOR, STATUS_COLORS } from './icons';

const swatch = (cls: string, color: string) => <i class={cls} style={`--c:${color}`} />;

/** What the drone symbols mean (bottom left of the map). */
export function Legend() {
  return (
    <div class="legend" aria-label="Legend">
      {STATUSES.map((s) => (
        <span key={s} class="legend-item">
          {swatch('arrow', STATUS_COLORS[s])}
          {s}
        </span>
      ))}
      <span class="legend-item">{swatch('ring', LOW_BATTERY_COLOR)}low battery</span>
      <span class="legend-item">{swatch('disc', OFFLINE_COLOR)}offline</span>
    </div>
  );
}
