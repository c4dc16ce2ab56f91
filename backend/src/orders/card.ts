export type CardBrand =
  'visa' | 'mastercard' | 'amex' | 'discover' | 'diners' | 'jcb' | 'unionpay' | 'unknown';

/** Digits only; spaces and dashes are how people type card numbers. */
export const cardDigits = (input: string) => input.replace(/[\s-]/g, '');

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const inRange = (digits: string, length: number, from: number, to: number) => {
  const prefix = Number(digits.slice(0, length));
  return prefix >= from && prefix <= to;
};

export function cardBrand(digits: string): CardBrand {
  if (/^4/.test(digits)) return 'visa';
  if (inRange(digits, 2, 51, 55) || inRange(digits, 4, 2221, 2720)) return 'mastercard';
  if (/^3[47]/.test(digits)) return 'amex';
  if (/^(6011|65|64[4-9])/.test(digits)) return 'discover';
  if (/^(30[0-5]|36|38|39)/.test(digits)) return 'diners';
  if (inRange(digits, 4, 3528, 3589)) return 'jcb';
  if (/^62/.test(digits)) return 'unionpay';
  return 'unknown';
}

/**
 * What may be kept of a card: the brand and the last four digits. The caller
 * drops the full number right here; it never reaches storage or a log.
 */
export function truncateCard(input: string): { brand: CardBrand; last4: string } {
  const digits = cardDigits(input);
  return { brand: cardBrand(digits), last4: digits.slice(-4) };
}
