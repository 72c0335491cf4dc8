import { isId, nameBasedId } from '../../libs/core/index.js';

describe('nameBasedId', () => {
  it('gives the same UUID (version 8, RFC variant) for the same name, another for another name', () => {
    const a = nameBasedId('dronetrack/test/a');
    expect(nameBasedId('dronetrack/test/a')).toBe(a);
    expect(nameBasedId('dronetrack/test/b')).not.toBe(a);
    expect(isId(a)).toBe(true);
    expect(a[14]).toBe('8');
    expect('89ab').toContain(a[19]);
  });
});
