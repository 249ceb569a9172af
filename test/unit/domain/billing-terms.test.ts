import { describe, expect, it } from 'vitest';
import { monthsTouched, valueOn } from '../../../shared/domain/billing-terms';
import { usageFee } from '../../../shared/domain/usage-fee';

describe('monthsTouched: what the console says a dated change touches', () => {
  it('runs from the month of the day to the month before the next change takes over', () => {
    expect(monthsTouched('2026-09-15', null, false)).toEqual({ first: '2026-09', last: null });
    expect(monthsTouched('2026-09-15', '2027-01-01', false)).toEqual({ first: '2026-09', last: '2026-12' });
    // The next change mid-December: December is split between the two, so this one touches it too.
    expect(monthsTouched('2026-09-15', '2026-12-10', false)).toEqual({ first: '2026-09', last: '2026-12' });
  });

  it('starts a monthly term dated after the 1st in the next month', () => {
    expect(monthsTouched('2026-09-15', null, true)).toEqual({ first: '2026-10', last: null });
    expect(monthsTouched('2026-09-01', '2026-12-10', true)).toEqual({ first: '2026-09', last: '2026-12' });
    expect(monthsTouched('2026-12-15', null, true)).toEqual({ first: '2027-01', last: null });
  });
});

describe('valueOn', () => {
  it('is the base before the first change and each change from its day', () => {
    const timeline = {
      base: 1,
      changes: [
        { from: '2026-02-01', value: 2 },
        { from: '2026-03-15', value: 3 },
      ],
    };
    expect(
      ['2026-01-31', '2026-02-01', '2026-03-14', '2026-03-15'].map((day) => valueOn(timeline, day)),
    ).toEqual([1, 2, 2, 3]);
  });
});

describe('usageFee', () => {
  const USD = 1_000_000_000_000n; // pico-USD
  it('charges nothing up to the included usage and rounds the fee once, parts adding up to it', () => {
    // $1 + $1 + $1 at 10 %: marked up $3.30; $0.01 beyond $2.99 included: 3.30 × 0.01 / 3 = 0.011 → $0.01.
    const pieces = ['a', 'b', 'c'].map((agentId) => ({ agentId, costPico: USD, markupBp: 1_000n }));
    expect(usageFee(pieces, 3_000_000n).feeMicros).toBe(0n);
    const fee = usageFee(pieces, 2_990_000n);
    expect(fee.feeMicros).toBe(10_000n);
    // One cent over three equal shares: the leftover cent goes to the first by id.
    expect([...fee.byAgent]).toEqual([
      ['a', 10_000n],
      ['b', 0n],
      ['c', 0n],
    ]);
  });

  it('leaves usage without a markup out of the fee and out of what the allowance covers', () => {
    const fee = usageFee(
      [
        { agentId: 'a', costPico: 5n * USD, markupBp: null },
        { agentId: 'b', costPico: 2n * USD, markupBp: 5_000n },
      ],
      1_000_000n,
    );
    // Only b's $2 is rebilled: $3 marked up × ($2 − $1) / $2 = $1.50.
    expect(fee.feeMicros).toBe(1_500_000n);
    expect(fee.byAgent.get('b')).toBe(1_500_000n);
    expect(fee.byAgent.has('a')).toBe(false);
  });
});
