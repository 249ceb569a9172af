/**
 * Money is held as integer micro-units (1 USD = 1,000,000) so sums stay exact; strings like
 * "40.00" are the only form it takes at the edges.
 */
export const MICROS_PER_UNIT = 1_000_000;

const DECIMAL = /^(\d{1,9})(?:\.(\d{1,6}))?$/;
/** The largest amount a decimal string the channels take can hold: $999,999,999.999999. */
export const MAX_AMOUNT_MICROS = 1_000_000_000 * MICROS_PER_UNIT - 1;
/** The largest markup the channels take (1000 %), in basis points. */
export const MAX_MARKUP_BP = 100_000;

export function isDecimalAmount(value: string, maxDecimals = 6): boolean {
  const match = DECIMAL.exec(value);
  return match !== null && (match[2] ?? '').length <= maxDecimals;
}

export function parseMicros(value: string): number {
  const match = DECIMAL.exec(value);
  if (!match) throw new RangeError(`Not a decimal amount: ${value}`);
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(6, '0'));
  return whole * MICROS_PER_UNIT + fraction;
}

/** Formats micro-units with `decimals` places, rounding half-up (away from zero for negatives). */
export function formatMicros(micros: number, decimals = 2): string {
  if (!Number.isSafeInteger(micros)) throw new RangeError(`Not an integer amount: ${micros}`);
  const step = 10 ** (6 - decimals);
  const negative = micros < 0;
  const magnitude = Math.abs(micros);
  const rounded = Math.floor((magnitude + step / 2) / step);
  const scale = 10 ** decimals;
  const whole = Math.floor(rounded / scale);
  const fraction = decimals > 0 ? `.${String(rounded % scale).padStart(decimals, '0')}` : '';
  return `${negative && rounded !== 0 ? '-' : ''}${whole}${fraction}`;
}
