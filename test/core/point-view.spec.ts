import { OPTIONAL_POINT_FIELDS, toPointView, type TelemetryPoint } from '../../libs/core/index.js';

const base: TelemetryPoint = {
  tenantId: 't',
  droneId: 'd',
  ts: 1_764_500_000_123,
  lat: 52.5,
  lon: 13.4,
  status: 'airborne',
  receivedAt: 1,
};

describe('toPointView', () => {
  it('carries every optional field that is present, in API order after the required ones', () => {
    const full = { ...base, ...Object.fromEntries(OPTIONAL_POINT_FIELDS.map((f, i) => [f, i + 0.5])) } as TelemetryPoint;
    expect(Object.keys(toPointView(full))).toEqual(['timestamp', 'lat', 'lon', 'status', ...OPTIONAL_POINT_FIELDS]);
    expect(toPointView(full)).toMatchObject(Object.fromEntries(OPTIONAL_POINT_FIELDS.map((f, i) => [f, i + 0.5])));
  });

  it('leaves absent fields out (zero is present)', () => {
    expect(toPointView({ ...base, battery: 0 })).toEqual({
      timestamp: '2025-11-30T10:53:20.123Z',
      lat: 52.5,
      lon: 13.4,
      status: 'airborne',
      battery: 0,
    });
  });
});
