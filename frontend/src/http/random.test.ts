import { randomBase64url, randomHex } from './random';

describe('pooled random ids', () => {
  it('returns the length asked for, in its alphabet', () => {
    expect(randomHex(8)).toMatch(/^[0-9a-f]{16}$/);
    expect(randomHex(16)).toMatch(/^[0-9a-f]{32}$/);
    expect(randomBase64url(18)).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });

  it('never hands out the same bytes twice, across refills of the pool', () => {
    // 8 bytes each: 2,000 ids take the 4 KiB pool through three refills.
    const ids = Array.from({ length: 2000 }, () => randomHex(8));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses more than one pool at once', () => {
    expect(() => randomHex(4097)).toThrow(RangeError);
  });
});
