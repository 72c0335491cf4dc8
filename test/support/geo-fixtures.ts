/** Geofence bodies for tests: a square around (lon, lat) with half-side d degrees. */
export function square(lon: number, lat: number, d = 0.01): { type: 'Polygon'; coordinates: number[][][] } {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lon - d, lat - d],
        [lon + d, lat - d],
        [lon + d, lat + d],
        [lon - d, lat + d],
        [lon - d, lat - d],
      ],
    ],
  };
}

export function keepOut(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'airport', rule: 'keep-out', geometry: square(13.4, 52.5), ...overrides };
}
