import type { Flight } from '../../types';

export function fmtDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : m > 0 ? `${m} min ${String(sec).padStart(2, '0')} s` : `${sec} s`;
}

export const fmtDistance = (m: number) => (m >= 1000 ? `${(m / 1000).toFixed(2)} km` : `${Math.round(m)} m`);

export const fmtMaybe = (v: number | null | undefined, unit: string, digits = 0) =>
  typeof v === 'number' && Number.isFinite(v) ? `${v.toFixed(digits)} ${unit}` : '—';

/** Max height: above ground when the drone reports it, else altitude. */
export function fmtMaxHeight(f: Flight): string {
  return f.maxHeightAgl !== null ? `${Math.round(f.maxHeightAgl)} m AGL` : fmtMaybe(f.maxAltitude, 'm');
}

export function fmtBatteryUsed(f: Flight): string {
  return f.batteryStart !== null && f.batteryEnd !== null ? `${Math.round(f.batteryStart - f.batteryEnd)} %` : '—';
}

export const fmtDate = (iso: string) => new Date(iso).toLocaleString();
