import { formatScaled, toScaled, trimZeros } from '../../../shared/domain/decimal';

/**
 * Money arrives as decimal strings ("25.000000") and stays one: these helpers round and group
 * digits on the text (BigInt where a step is needed), never through a float.
 */

/** "1234567.50" → "1,234,567.50". */
export function groupThousands(text: string): string {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const point = body.indexOf('.');
  const whole = point === -1 ? body : body.slice(0, point);
  const fraction = point === -1 ? '' : body.slice(point);
  return `${negative ? '-' : ''}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction}`;
}

/** The amount rounded half-up to `decimals` places; the text itself when it is not a decimal. */
export function roundDecimal(value: string, decimals: number): string {
  const scaled = toScaled(value, decimals);
  return scaled === null ? value : formatScaled(scaled, decimals);
}

const withDollar = (text: string) => (text.startsWith('-') ? `-$${text.slice(1)}` : `$${text}`);

/** "$1,234.57": a USD amount to the cent, for tables and cards. */
export function usd(value: string): string {
  return withDollar(groupThousands(roundDecimal(value, 2)));
}

/** "+$1.20", "-$0.40", "$0.00": a difference to the cent, signed when it is one. */
export function signedUsd(value: string): string {
  const cents = toScaled(value, 2);
  return cents !== null && cents > 0n ? `+${usd(value)}` : usd(value);
}

/** Every digit the server sent, trailing zeros past the cents dropped: "$0.0125", "$25.00". */
export function usdExact(value: string): string {
  const trimmed = trimZeros(value);
  const point = trimmed.indexOf('.');
  const decimals = point === -1 ? 0 : trimmed.length - point - 1;
  return withDollar(groupThousands(decimals >= 2 ? trimmed : roundDecimal(value, 2)));
}

/** a − b, exactly, at 6 decimals. */
export function subtractMoney(a: string, b: string): string {
  const left = toScaled(a, 6);
  const right = toScaled(b, 6);
  return left === null || right === null ? '0' : formatScaled(left - right, 6);
}

/** part ÷ whole in basis points (10000 = 100 %), exact; null when whole is zero or unreadable. */
export function shareBasisPoints(part: string, whole: string): number | null {
  const top = toScaled(part, 6);
  const bottom = toScaled(whole, 6);
  if (top === null || bottom === null || bottom <= 0n) return null;
  return Number((top * 10_000n) / bottom);
}
