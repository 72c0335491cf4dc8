import type { Geofence } from '../../types';

/** Rule colours: keep-out red, keep-in green (map fill, outline and list swatch). */
export const RULE_COLORS: Record<Geofence['rule'], string> = { 'keep-out': '#ff4d4f', 'keep-in': '#3fb950' };

/** "0–120 m AGL", or "" when the geofence spans all heights. */
export function bandLabel(g: Pick<Geofence, 'floor' | 'ceiling' | 'altitudeReference'>): string {
  if (g.floor === null && g.ceiling === null) return '';
  const ref = g.altitudeReference === 'wgs84' ? 'WGS84' : 'AGL';
  return `${g.floor ?? '…'}–${g.ceiling ?? '…'} m ${ref}`;
}
