import { h } from '../html';
/** `2024-05-01T10:20:30.000Z` → `2024-05-01 10:20 UTC`, in a machine-readable <time>. */
export function DateTime({ iso }: { iso: string }) {
  const text = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso)
    ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`
    : iso;
  return <time dateTime={iso}>{text}</time>;
}

const BRANDS: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
};

/** Only the brand and the last four digits are ever known to us. */
export function MaskedCard({ brand, last4 }: { brand: string; last4: string }) {
  return (
    <span class="card">
      <span class="card__brand">{BRANDS[brand] ?? 'Card'}</span> <span>•••• {last4}</span>
    </span>
  );
}

export function fullName(u: { name: string; surname: string }): string {
  return `${u.name} ${u.surname}`;
}
