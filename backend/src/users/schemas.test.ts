import { Name } from './schemas';

describe('display names', () => {
  const refused = {
    'right-to-left override': 'Ali\u202Ecod.exe',
    'left-to-right embedding': '\u202AAnn',
    'pop directional formatting': 'Ann\u202C',
    'first strong isolate': 'A\u2068nn',
    'pop directional isolate': 'Ann\u2069',
    'right-to-left isolate': '\u2067Ann',
    'zero-width space': 'Ad\u200Bmin',
    'zero-width joiner': 'Ad\u200Dmin',
    'left-to-right mark': 'Ann\u200E',
    'right-to-left mark': '\u200FAnn',
    'byte-order mark': 'An\uFEFFn',
    'word joiner': 'An\u2060n',
    'soft hyphen': 'An\u00ADn',
    'line separator': 'Ann\u2028Lee',
    'paragraph separator': 'Ann\u2029Lee',
    NUL: 'Ann\u0000',
    'lone surrogate': 'Ann\uD800',
  };
  it.each(Object.entries(refused))('when a name holds a %s, then it is refused', (_, value) => {
    const result = Name.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/text-direction characters/);
  });

  it('when a name is written in any script, with accents or emoji, then it is kept', () => {
    for (const value of ['Zoë', 'José María', 'Nguyễn', 'محمد', 'שרה', '山田', 'Ann 🎉', "O'Brien"])
      expect(Name.parse(value)).toBe(value);
  });
});
