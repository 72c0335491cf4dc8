import type { DroneProps } from '../types';

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function fmtBattery(p: Partial<DroneProps> | null | undefined): string {
  if (!p || !num(p.battery)) return '—';
  return `${Math.round(p.battery)} %${p.lowBattery ? ' low' : ''}`;
}
export const fmtSpeed = (v: unknown) => (num(v) ? `${v.toFixed(1)} m/s` : '—');
export const fmtAltitude = (v: unknown) => (num(v) ? `${Math.round(v)} m` : '—');
export const fmtHeading = (v: unknown) => (num(v) ? `${Math.round(v) % 360}°` : '—');
export const fmtCoord = (lat: unknown, lon: unknown) => (num(lat) && num(lon) ? `${lat.toFixed(5)}, ${lon.toFixed(5)}` : '—');

export function fmtAgo(iso: string | undefined | null, now = Date.now()): string {
  if (!iso) return 'never';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '—';
  const s = Math.max(0, Math.round((now - t) / 1000));
  const ago =
    s < 60
      ? `${s} s ago`
      : s < 3600
        ? `${Math.floor(s / 60)} min ago`
        : s < 86400
          ? `${Math.floor(s / 3600)} h ago`
          : `${Math.floor(s / 86400)} d ago`;
  return `${new Date(t).toLocaleString()} (${ago})`;
}
