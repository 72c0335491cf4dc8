import type { AppConfig } from '../types';
import { appUrl } from './base';

const DEFAULT_CONFIG: AppConfig = { mapTileUrl: null, offlineAfterSeconds: 60 };

/** GET /app-config.json; any failure falls back to the defaults. */
export async function loadConfig(): Promise<AppConfig> {
  try {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), 4000);
    const res = await fetch(appUrl('app-config.json'), { signal: ctl.signal, headers: { Accept: 'application/json' } });
    clearTimeout(timer);
    if (!res.ok) return { ...DEFAULT_CONFIG };
    const c = (await res.json()) as Partial<AppConfig>;
    return {
      mapTileUrl: typeof c.mapTileUrl === 'string' && c.mapTileUrl.trim() ? c.mapTileUrl.trim() : null,
      offlineAfterSeconds:
        typeof c.offlineAfterSeconds === 'number' && c.offlineAfterSeconds > 0 ? c.offlineAfterSeconds : DEFAULT_CONFIG.offlineAfterSeconds,
    };
  } catch {
    return { ...DEFAULT_CONFIG };
  }
}
