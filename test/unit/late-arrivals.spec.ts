import { withoutLateArrivals } from '../../libs/alerts/alert-engine.js';
import type { TelemetryPoint } from '../../libs/core/index.js';

const p = (ts: number, receivedAt: number): TelemetryPoint => ({
  tenantId: 't',
  droneId: 'd',
  ts,
  lat: 0,
  lon: 0,
  status: 'airborne',
  receivedAt,
});
const stamps = (points: TelemetryPoint[]) => points.map((x) => x.ts);

describe('withoutLateArrivals (alerts judge points as they arrived, also in a merged run)', () => {
  it('drops a point sent after a newer one of an earlier request', () => {
    // The alerts contract's case: t, then t - 500 (late on arrival), then t + 1000.
    expect(stamps(withoutLateArrivals([p(1000, 1), p(500, 2), p(2000, 3)]))).toEqual([1000, 2000]);
  });

  it('keeps the points of one request together, whatever their order (judged in timestamp order)', () => {
    expect(stamps(withoutLateArrivals([p(1000, 1), p(500, 1), p(2000, 1)]))).toEqual([1000, 500, 2000]);
  });

  it('compares with every earlier request, not only the previous one', () => {
    expect(stamps(withoutLateArrivals([p(3000, 1), p(1000, 2), p(2000, 3), p(4000, 4), p(3500, 4)]))).toEqual([3000, 4000, 3500]);
  });
});
