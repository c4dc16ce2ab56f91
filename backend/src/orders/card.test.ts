import { cardBrand, luhnValid, truncateCard } from './card';

describe('card numbers', () => {
  it('when a number passes the Luhn check, then it is valid; one digit changed, then invalid', () => {
    for (const n of [
      '4111111111111111',
      '5555555555554444',
      '378282246310005',
      '6011111111111117',
    ]) {
      expect(luhnValid(n)).toBe(true);
      const last = Number(n.at(-1));
      expect(luhnValid(n.slice(0, -1) + String((last + 1) % 10))).toBe(false);
    }
  });

  it('when a test number is given, then its brand is recognised', () => {
    expect(cardBrand('4111111111111111')).toBe('visa');
    expect(cardBrand('5555555555554444')).toBe('mastercard');
    expect(cardBrand('2221000000000009')).toBe('mastercard');
    expect(cardBrand('378282246310005')).toBe('amex');
    expect(cardBrand('6011111111111117')).toBe('discover');
    expect(cardBrand('3530111333300000')).toBe('jcb');
    expect(cardBrand('30569309025904')).toBe('diners');
    expect(cardBrand('9999999999999995')).toBe('unknown');
  });

  it('when a formatted number is truncated, then only brand and last four remain', () => {
    expect(truncateCard('4111 1111-1111 1111')).toEqual({ brand: 'visa', last4: '1111' });
  });
});
