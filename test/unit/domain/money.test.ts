import { describe, expect, it } from 'vitest';
import { formatMicros, isDecimalAmount, MICROS_PER_UNIT, parseMicros } from '../../../shared/domain/money';

describe('parseMicros', () => {
  it('reads decimal strings as exact integer micro-units', () => {
    expect(parseMicros('40.00')).toBe(40_000_000);
    expect(parseMicros('40')).toBe(40 * MICROS_PER_UNIT);
    expect(parseMicros('0.000001')).toBe(1);
    expect(parseMicros('999999999.999999')).toBe(999_999_999_999_999);
  });

  it('sums exactly where floating point does not', () => {
    const sum = parseMicros('0.1') + parseMicros('0.2');
    expect(sum).toBe(parseMicros('0.3'));
    expect(formatMicros(sum, 2)).toBe('0.30');
  });

  it.each(['', '-1', '1.', '.5', '1,5', '1e3', ' 1', '1.0000001', '1234567890'])('refuses %j', (value) => {
    expect(() => parseMicros(value)).toThrow(RangeError);
  });
});

describe('isDecimalAmount', () => {
  it('limits the number of decimals', () => {
    expect(isDecimalAmount('40.00', 2)).toBe(true);
    expect(isDecimalAmount('40', 2)).toBe(true);
    expect(isDecimalAmount('40.001', 2)).toBe(false);
    expect(isDecimalAmount('abc', 2)).toBe(false);
  });
});

describe('formatMicros', () => {
  it('pads to the number of decimals', () => {
    expect(formatMicros(40_000_000, 2)).toBe('40.00');
    expect(formatMicros(0, 2)).toBe('0.00');
    expect(formatMicros(1_500_000, 0)).toBe('2');
    expect(formatMicros(1_234_567, 6)).toBe('1.234567');
  });

  it('rounds half up', () => {
    expect(formatMicros(5000, 2)).toBe('0.01');
    expect(formatMicros(4999, 2)).toBe('0.00');
    expect(formatMicros(1_995_000, 2)).toBe('2.00');
    expect(formatMicros(999_995_000, 2)).toBe('1000.00');
  });

  it('rounds negatives away from zero and never prints "-0"', () => {
    expect(formatMicros(-5000, 2)).toBe('-0.01');
    expect(formatMicros(-4999, 2)).toBe('0.00');
    expect(formatMicros(-40_000_000, 2)).toBe('-40.00');
  });

  it('refuses amounts that are not safe integers', () => {
    expect(() => formatMicros(0.5, 2)).toThrow(RangeError);
    expect(() => formatMicros(Number.MAX_SAFE_INTEGER + 1, 2)).toThrow(RangeError);
  });
});
