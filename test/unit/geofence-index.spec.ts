import { GeofenceIndex } from '../../libs/geofences/geofence-index.js';
import { geofenceOf } from '../contract/geofence-store.contract.js';
import { square } from '../support/geo-fixtures.js';

/** The evaluation rules of the contract, on the index the processor uses (rbush + Turf). */
describe('GeofenceIndex', () => {
  const t = 'tenant';
  const at = (lon: number, lat: number, extra: { heightAgl?: number; altitude?: number } = {}) => ({ lon, lat, ...extra });

  it('keep-out: inside violates, outside does not, a crossing segment does (judged on the later point)', () => {
    const g = geofenceOf(t, { geometry: square(10, 10, 1) });
    const index = new GeofenceIndex([g]);
    expect(index.violations('d', at(10, 10), null)).toEqual(new Set([g.id]));
    expect(index.violations('d', at(12, 10), null)).toEqual(new Set());
    expect(index.violations('d', at(12, 10), at(8, 10))).toEqual(new Set([g.id]));
    expect(index.violations('d', at(12, 10), at(12, 20))).toEqual(new Set());
    // Leaving: the previous point inside, this one outside: no longer a violation.
    expect(index.violations('d', at(12, 10), at(10, 10))).toEqual(new Set());
  });

  it('holes of a MultiPolygon are outside', () => {
    const outer = square(0, 0, 2).coordinates[0];
    const hole = square(0, 0, 1).coordinates[0].reverse();
    const g = geofenceOf(t, { geometry: { type: 'MultiPolygon', coordinates: [[outer, hole], square(20, 20, 1).coordinates] } });
    const index = new GeofenceIndex([g]);
    expect(index.violations('d', at(0, 0), null).size).toBe(0);
    expect(index.violations('d', at(1.5, 0), null).size).toBe(1);
    expect(index.violations('d', at(20, 20), null).size).toBe(1);
  });

  it('the band: agl compares heightAgl, wgs84 altitude; a missing height is inside the band', () => {
    const agl = geofenceOf(t, { floor: 10, ceiling: 100 });
    const wgs = geofenceOf(t, { floor: 10, ceiling: 100, altitudeReference: 'wgs84' });
    const index = new GeofenceIndex([agl, wgs]);
    expect(index.violations('d', at(13.4, 52.5, { heightAgl: 50, altitude: 500 }), null)).toEqual(new Set([agl.id]));
    expect(index.violations('d', at(13.4, 52.5, { heightAgl: 500, altitude: 50 }), null)).toEqual(new Set([wgs.id]));
    expect(index.violations('d', at(13.4, 52.5), null)).toEqual(new Set([agl.id, wgs.id]));
    expect(index.violations('d', at(13.4, 52.5, { heightAgl: 5, altitude: 5 }), null)).toEqual(new Set());
  });

  it('keep-in violates outside the geometry or outside the band; droneIds and active limit what applies', () => {
    const keepIn = geofenceOf(t, { rule: 'keep-in', ceiling: 100, droneIds: ['d1'] });
    const inactive = geofenceOf(t, { active: false });
    const index = new GeofenceIndex([keepIn, inactive]);
    expect(index.violations('d1', at(13.4, 52.5, { heightAgl: 50 }), null)).toEqual(new Set());
    expect(index.violations('d1', at(13.4, 52.5, { heightAgl: 150 }), null)).toEqual(new Set([keepIn.id]));
    expect(index.violations('d1', at(50, 50), null)).toEqual(new Set([keepIn.id]));
    expect(index.violations('d2', at(50, 50), null)).toEqual(new Set());
    expect(index.size).toBe(1);
  });

  it('judges a point among 1,000 geofences by the few near it', () => {
    const fences = Array.from({ length: 1000 }, (_, i) =>
      geofenceOf(t, { geometry: square(-170 + (i % 100) * 3, -60 + Math.floor(i / 100) * 10, 0.5) }),
    );
    const index = new GeofenceIndex(fences);
    expect(index.violations('d', at(-170, -60), null)).toEqual(new Set([fences[0].id]));
    expect(index.violations('d', at(-168.5, -60), null)).toEqual(new Set());
  });
});
