import fc from 'fast-check';
import { compareText } from '../../shared/runtime';

describe('compareText', () => {
  it.each([
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['same', 'same', 0],
    ['', 'a', -1],
    ['Z', 'a', -1],
    ['prod', 'prod-2', -1],
    ['\u00e9', 'z', 1],
  ])('orders %p before or after %p by code unit (%p)', (a, b, expected) => {
    expect(compareText(a, b)).toBe(expected);
  });

  it('sorts as the default sort does, in every locale: byte-for-byte repeatable output', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' })), (texts) => {
        expect([...texts].sort(compareText)).toEqual([...texts].sort());
      }),
    );
  });

  it('is antisymmetric and zero only for equal strings', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const ab = compareText(a, b);
        return ab === -compareText(b, a) && (ab === 0) === (a === b);
      }),
    );
  });
});
