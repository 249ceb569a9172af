import { describe, expect, it } from 'vitest';
import { signedUsd, usd, usdExact } from '../../../renderer/src/ui/money';
import { formatCount, plural } from '../../../shared/domain/counts';
import { decimalPercent, percent, wholePercent } from '../../../shared/domain/percent';

describe('the console formats numbers one way', () => {
  it('writes real plurals with thousands separators', () => {
    expect(plural(1, 'organization')).toBe('1 organization');
    expect(plural(7, 'organization')).toBe('7 organizations');
    expect(plural(0, 'agent')).toBe('0 agents');
    expect(plural(1204, 'entry', 'entries')).toBe('1,204 entries');
    expect(formatCount(52_340)).toBe('52,340');
  });

  it('writes shares with one decimal and no space before the sign', () => {
    expect(percent(0.644)).toBe('64.4%');
    expect(percent(-0.44)).toBe('-44.0%');
    expect(percent(null)).toBe('—');
    // A budget's use rounds down, so 79.99% never reads as its 80% threshold; a markup keeps its digits.
    expect(wholePercent(0.7999)).toBe('79%');
    expect(wholePercent(2.5)).toBe('250%');
    expect(decimalPercent('12.5')).toBe('12.5%');
  });

  it('writes money with its currency and cents', () => {
    expect(usd('1234567.5')).toBe('$1,234,567.50');
    expect(usd('-3.005')).toBe('-$3.01');
    expect(usdExact('0.012500')).toBe('$0.0125');
    expect(usdExact('25')).toBe('$25.00');
  });

  it('signs a difference that rounds to a cent or more, and no difference that rounds to none', () => {
    expect(signedUsd('1.2')).toBe('+$1.20');
    expect(signedUsd('1234.005')).toBe('+$1,234.01');
    expect(signedUsd('-0.4')).toBe('-$0.40');
    expect(signedUsd('0.004')).toBe('$0.00');
    expect(signedUsd('-0.004')).toBe('$0.00');
    expect(signedUsd('0.005')).toBe('+$0.01');
  });
});
