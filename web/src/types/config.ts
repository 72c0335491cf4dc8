/** GET /app-config.json (defaults when missing: no raster tiles, offline after 60 s). */
export interface AppConfig {
  mapTileUrl: string | null;
  offlineAfterSeconds: number;
}
