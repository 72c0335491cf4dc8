import { isoTime } from '../../libs/core/index.js';

describe('isoTime', () => {
  it('equals Date#toISOString for runs of nearby, random and edge timestamps', () => {
    const stamps = [
      0, 1, 999, 1000, 59_999, 60_000, 1_764_000_000_000, 253_402_300_799_999, 253_402_300_800_000, -1, -62_198_755_200_000, 8.64e15, 1.5,
    ];
    for (let i = 0; i < 5000; i++) stamps.push(1_764_000_000_000 + i * 7); // a track: same minute, then the next
    for (let i = 0; i < 5000; i++) stamps.push(Math.floor(Math.random() * 253_402_300_800_000));
    for (const ts of stamps) expect(isoTime(ts)).toBe(new Date(ts).toISOString());
  });
});
