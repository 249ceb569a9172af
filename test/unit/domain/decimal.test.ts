import { describe, expect, it } from 'vitest';
import { divRound, formatScaled, isExactAtScale, toScaled, trimZeros } from '../../../shared/domain/decimal';

describe('toScaled', () => {
  it('reads plain decimals', () => {
    expect(toScaled('2.5', 6)).toBe(2_500_000n);
    expect(toScaled('0.000168', 12)).toBe(168_000_000n);
    expect(toScaled('40', 2)).toBe(4000n);
    expect(toScaled('0', 6)).toBe(0n);
    expect(toScaled(' 1.25 ', 2)).toBe(125n);
    expect(toScaled('.5', 1)).toBe(5n);
    expect(toScaled('007.10', 2)).toBe(710n);
  });

  it('reads exponent forms as JSON numbers print them', () => {
    // USD per token at pico-USD (scale 12): 1.5e-06 $/token = 1,500,000 pico.
    expect(toScaled('1.5e-06', 12)).toBe(1_500_000n);
    expect(toScaled('3e-07', 12)).toBe(300_000n);
    expect(toScaled('1.5e-7', 12)).toBe(150_000n);
    expect(toScaled('2.5E-6', 12)).toBe(2_500_000n);
    expect(toScaled('1.25e+2', 0)).toBe(125n);
    expect(toScaled('3e2', 2)).toBe(30_000n);
  });

  it('rounds digits beyond the scale half up, away from zero', () => {
    expect(toScaled('0.0000005', 6)).toBe(1n);
    expect(toScaled('0.00000049', 6)).toBe(0n);
    expect(toScaled('1.005', 2)).toBe(101n);
    expect(toScaled('1.0049999', 2)).toBe(100n);
    expect(toScaled('5e-13', 12)).toBe(1n);
    expect(toScaled('4.9e-13', 12)).toBe(0n);
    expect(toScaled('-1.005', 2)).toBe(-101n);
    expect(toScaled('-1.004', 2)).toBe(-100n);
  });

  it('keeps the sign', () => {
    expect(toScaled('-2.5', 1)).toBe(-25n);
    expect(toScaled('+2.5', 1)).toBe(25n);
  });

  it.each(['', '.', 'e5', 'abc', '1,5', '1e', '1.2.3', '--1', '0x10', '1 000'])('refuses %j', (text) => {
    expect(toScaled(text, 6)).toBeNull();
  });
});

describe('isExactAtScale', () => {
  it('says whether digits would be lost', () => {
    expect(isExactAtScale('2.5e-06', 12)).toBe(true);
    expect(isExactAtScale('0.000000000001', 12)).toBe(true);
    expect(isExactAtScale('1.5e-13', 12)).toBe(false);
    expect(isExactAtScale('0.0000001', 6)).toBe(false);
    expect(isExactAtScale('nope', 6)).toBe(false);
  });
});

describe('divRound', () => {
  it('rounds halves up and away from zero', () => {
    expect(divRound(5n, 2n)).toBe(3n);
    expect(divRound(7n, 3n)).toBe(2n);
    expect(divRound(8n, 3n)).toBe(3n);
    expect(divRound(-5n, 2n)).toBe(-3n);
    expect(divRound(-7n, 3n)).toBe(-2n);
    expect(divRound(0n, 7n)).toBe(0n);
  });

  it('refuses a zero or negative divisor', () => {
    expect(() => divRound(1n, 0n)).toThrow(RangeError);
    expect(() => divRound(1n, -1n)).toThrow(RangeError);
  });
});

describe('formatScaled', () => {
  it('writes exactly `scale` decimals', () => {
    expect(formatScaled(2_500_000n, 6)).toBe('2.500000');
    expect(formatScaled(1n, 6)).toBe('0.000001');
    expect(formatScaled(0n, 2)).toBe('0.00');
    expect(formatScaled(123_456n, 2)).toBe('1234.56');
    expect(formatScaled(42n, 0)).toBe('42');
  });

  it('writes negatives with a leading minus', () => {
    expect(formatScaled(-5n, 2)).toBe('-0.05');
    expect(formatScaled(-123_456n, 3)).toBe('-123.456');
  });

  it('round-trips with toScaled', () => {
    for (const text of ['0.000001', '12.345678', '999999.999999', '-3.000001']) {
      expect(formatScaled(toScaled(text, 6) as bigint, 6)).toBe(text);
    }
  });
});

describe('trimZeros', () => {
  it('drops trailing zeros after the point only', () => {
    expect(trimZeros('2.500000')).toBe('2.5');
    expect(trimZeros('3.000')).toBe('3');
    expect(trimZeros('100')).toBe('100');
    expect(trimZeros('0.000100')).toBe('0.0001');
  });
});
