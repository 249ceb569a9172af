/**
 * Exact decimal ↔ scaled-integer conversion with BigInt, for money and prices that must never
 * pass through a float. "1.5e-06" with scale 12 → 1500000n.
 */
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** The value × 10^scale, rounded half-up (away from zero); null when `text` is not a decimal number. */
export function toScaled(text: string, scale: number): bigint | null {
  const match = DECIMAL.exec(text.trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return null;
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  const digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, '') || '0';
  const shift = scale + Number(exponent) - fraction.length;
  let magnitude: bigint;
  if (shift >= 0) {
    magnitude = BigInt(digits) * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    magnitude = (BigInt(digits) * 2n + divisor) / (2n * divisor);
  }
  return sign === '-' ? -magnitude : magnitude;
}

/** Whether converting loses digits beyond `scale` (so an import can say it rounded). */
export function isExactAtScale(text: string, scale: number): boolean {
  const scaled = toScaled(text, scale);
  const finer = toScaled(text, scale + 12);
  return scaled !== null && finer !== null && scaled * 10n ** 12n === finer;
}

/** Divides and rounds half-up (away from zero). */
export function divRound(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('divide by a positive number');
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const rounded = (magnitude * 2n + denominator) / (2n * denominator);
  return negative ? -rounded : rounded;
}

/** A scaled integer as a decimal string with exactly `decimals` places (the scale itself). */
export function formatScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Drops trailing zeros after the point ("2.500000" → "2.5", "3.000" → "3"). */
export function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
