import fc from 'fast-check';
import { toIso } from './iso';

describe('toIso', () => {
  it('when given any instant Date can represent, then it matches Date#toISOString', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        expect(toIso(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  it('when given the calendar edges, then it matches Date#toISOString', () => {
    const edges = [
      0,
      Date.UTC(1970, 0, 1, 23, 59, 59, 999),
      Date.UTC(1999, 11, 31, 23, 59, 59, 999),
      Date.UTC(2000, 1, 29, 12, 0, 0, 7), // leap day in a century leap year
      Date.UTC(2100, 1, 28, 23, 59, 59, 999), // 2100 is not a leap year
      Date.UTC(2100, 2, 1),
      Date.UTC(2024, 1, 29),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(10000, 0, 1),
      Date.UTC(999, 5, 15, 1, 2, 3, 45),
      -1,
      1.5,
    ];
    for (const ms of edges) expect(toIso(ms)).toBe(new Date(ms).toISOString());
  });
});
