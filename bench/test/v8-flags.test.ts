import { parseV8Flags } from '../lib/v8-flags.mjs';

describe('parseV8Flags', () => {
  test('splits plain flags, with or without a value, on any whitespace', () => {
    expect(parseV8Flags('  --max-old-space-size=128 \t--single-threaded-gc ')).toEqual([
      '--max-old-space-size=128',
      '--single-threaded-gc',
    ]);
  });

  test('nothing given is no flags, not an error', () => {
    expect(parseV8Flags('')).toEqual([]);
  });

  test.each([
    'max-old-space-size=128',
    '--require=/tmp/x.js;rm',
    '--eval "1"',
    '-e',
    '--heap-growing-percent=100 file.js',
  ])('refuses %j', (text) => {
    expect(parseV8Flags(text)).toBeNull();
  });
});
