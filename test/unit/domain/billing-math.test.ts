import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  agentRevenueMicros,
  clip,
  margin,
  picoToMicros,
  type Span,
  subtract,
  totalMs,
} from '../../../shared/domain/billing';
import { type PriceRates, sliceCost } from '../../../shared/domain/token-pricing';

/** Input and output tokens at standard input and output prices (pico-USD per token), no other rates. */
function costPico(input: number, output: number, inputPico: bigint, outputPico: bigint): bigint {
  const price: PriceRates = { input: inputPico, output: outputPico, rates: [] };
  const none = 0n;
  return sliceCost(
    price,
    {
      input: BigInt(input),
      output: BigInt(output),
      cache_read: none,
      cache_write: none,
      cache_write_1h: none,
      reasoning: none,
    },
    'standard',
    0,
  ).total;
}

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);
const span = (from: string, to: string | null): Span => ({
  from: at(from),
  to: to === null ? Number.POSITIVE_INFINITY : at(to),
});
/** A month of 30 days (April 2026) and one of 31 (March 2026). */
const APRIL = span('2026-04-01T00:00:00Z', '2026-05-01T00:00:00Z');
const MARCH = span('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');
/** USD as micro-units, written out by hand. */
const usd = (dollars: string) => BigInt(dollars.replace('.', '')) * 10_000n;

describe('clip', () => {
  it('keeps the overlap of a span and a window', () => {
    expect(clip(span('2026-03-20T00:00:00Z', '2026-04-10T00:00:00Z'), APRIL)).toEqual(
      span('2026-04-01T00:00:00Z', '2026-04-10T00:00:00Z'),
    );
  });

  it('cuts an open span at the end of the window', () => {
    expect(clip(span('2026-04-05T00:00:00Z', null), APRIL)).toEqual(
      span('2026-04-05T00:00:00Z', '2026-05-01T00:00:00Z'),
    );
  });

  it('answers null when nothing overlaps, including spans that only touch the window', () => {
    expect(clip(span('2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z'), APRIL)).toBeNull();
    expect(clip(span('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'), APRIL)).toBeNull();
    expect(clip(span('2026-05-01T00:00:00Z', null), APRIL)).toBeNull();
  });
});

describe('subtract', () => {
  const month = [APRIL];

  it('splits a span around a hole inside it', () => {
    expect(subtract(month, [span('2026-04-10T00:00:00Z', '2026-04-20T00:00:00Z')])).toEqual([
      span('2026-04-01T00:00:00Z', '2026-04-10T00:00:00Z'),
      span('2026-04-20T00:00:00Z', '2026-05-01T00:00:00Z'),
    ]);
  });

  it('trims holes that overlap either end, and open holes', () => {
    expect(
      subtract(month, [
        span('2026-03-25T00:00:00Z', '2026-04-03T00:00:00Z'),
        span('2026-04-28T00:00:00Z', null),
      ]),
    ).toEqual([span('2026-04-03T00:00:00Z', '2026-04-28T00:00:00Z')]);
  });

  it('leaves spans a hole does not touch, and removes spans a hole covers', () => {
    const hole = span('2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z');
    expect(subtract(month, [hole])).toEqual(month);
    expect(subtract(month, [span('2026-03-01T00:00:00Z', null)])).toEqual([]);
    expect(subtract([], [hole])).toEqual([]);
  });

  it('handles several spans and overlapping holes', () => {
    const spans = [
      span('2026-04-01T00:00:00Z', '2026-04-05T00:00:00Z'),
      span('2026-04-10T00:00:00Z', '2026-04-20T00:00:00Z'),
    ];
    const holes = [
      span('2026-04-03T00:00:00Z', '2026-04-12T00:00:00Z'),
      span('2026-04-11T00:00:00Z', '2026-04-15T00:00:00Z'),
    ];
    const rest = subtract(spans, holes);
    expect(rest).toEqual([
      span('2026-04-01T00:00:00Z', '2026-04-03T00:00:00Z'),
      span('2026-04-15T00:00:00Z', '2026-04-20T00:00:00Z'),
    ]);
    expect(totalMs(rest)).toBe(7 * DAY);
  });
});

describe('agentRevenueMicros, prorated', () => {
  const revenue = (rate: string, assigned: Span[], inactive: Span[] = [], month = APRIL) =>
    agentRevenueMicros(Number(usd(rate)), 'prorated', assigned, inactive, month);

  it('bills the whole rate for a whole month, and nothing outside it', () => {
    expect(revenue('40.00', [span('2026-01-01T00:00:00Z', null)])).toBe(usd('40.00'));
    expect(revenue('40.00', [span('2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z')])).toBe(0n);
    expect(revenue('40.00', [])).toBe(0n);
  });

  it('bills the share of the month assigned: 10 of 30 days of $30 is $10.00', () => {
    expect(revenue('30.00', [span('2026-04-21T00:00:00Z', null)])).toBe(usd('10.00'));
  });

  it('rounds an exact half cent up: $40.01 × 15.5 / 31 days = $20.005 → $20.01', () => {
    const half = span('2026-03-01T00:00:00Z', '2026-03-16T12:00:00Z');
    expect(revenue('40.01', [half], [], MARCH)).toBe(usd('20.01'));
  });

  it('rounds just below the half cent down: one millisecond less gives $20.00', () => {
    const short = { from: at('2026-03-01T00:00:00Z'), to: at('2026-03-16T12:00:00Z') - 1 };
    expect(revenue('40.01', [short], [], MARCH)).toBe(usd('20.00'));
  });

  it('rounds half up, not to even: $0.05 for half of April is $0.025 → $0.03', () => {
    expect(revenue('0.05', [span('2026-04-16T00:00:00Z', null)])).toBe(usd('0.03'));
  });

  it('rounds once per agent, org and month, not per stay', () => {
    // Two stays of 7.5 days of $30.01 in a 30-day month: 7.5025 each, 15.005 together → $15.01.
    // Rounding each stay first would give 7.50 + 7.50 = $15.00.
    const stays = [
      span('2026-04-01T00:00:00Z', '2026-04-08T12:00:00Z'),
      span('2026-04-20T00:00:00Z', '2026-04-27T12:00:00Z'),
    ];
    expect(revenue('30.01', stays)).toBe(usd('15.01'));
  });

  it('leaves out the time the org was inactive: 20 of 30 days of $30 is $20.00', () => {
    const inactive = [span('2026-04-11T00:00:00Z', '2026-04-21T00:00:00Z')];
    expect(revenue('30.00', [span('2026-03-01T00:00:00Z', null)], inactive)).toBe(usd('20.00'));
  });

  it('counts inactive time only where it overlaps the assignment and the month', () => {
    const assigned = [span('2026-04-16T00:00:00Z', null)]; // 15 days
    const inactive = [
      span('2026-03-01T00:00:00Z', '2026-04-06T00:00:00Z'), // before the assignment
      span('2026-04-26T00:00:00Z', null), // 5 days, then open past the month
    ];
    expect(revenue('30.00', assigned, inactive)).toBe(usd('10.00'));
  });

  it('bills nothing when the org was inactive all the time the agent was there', () => {
    expect(revenue('30.00', [span('2026-04-10T00:00:00Z', null)], [span('2026-04-01T00:00:00Z', null)])).toBe(
      0n,
    );
  });
});

describe('agentRevenueMicros, full_month', () => {
  it('bills the whole rate for any moment in the month', () => {
    const hour = span('2026-04-30T23:00:00Z', '2026-05-01T00:00:00Z');
    expect(agentRevenueMicros(Number(usd('40.01')), 'full_month', [hour], [], APRIL)).toBe(usd('40.01'));
  });

  it('bills nothing for a month the agent was not there', () => {
    const march = span('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');
    expect(agentRevenueMicros(Number(usd('40.00')), 'full_month', [march], [], APRIL)).toBe(0n);
  });
});

describe('agentRevenueMicros against the rule written out', () => {
  /** rate × (assigned ∩ month, less inactive) ÷ month, half-up to the cent, in BigInt throughout. */
  function reference(rate: number, assigned: Span[], inactive: Span[], month: Span): bigint {
    const billable = BigInt(
      totalMs(
        subtract(
          assigned.flatMap((s) => clip(s, month) ?? []),
          inactive,
        ),
      ),
    );
    const cents = BigInt(month.to - month.from) * 10_000n;
    const scaled = BigInt(rate) * billable;
    return ((scaled * 2n + cents) / (cents * 2n)) * 10_000n;
  }
  /** Sorted, non-overlapping spans around April, the last one sometimes open. */
  const spans = fc
    .uniqueArray(fc.integer({ min: -40 * DAY, max: 70 * DAY }), { minLength: 0, maxLength: 6 })
    .chain((edges) =>
      fc.boolean().map((open) => {
        const sorted = [...edges].sort((a, b) => a - b).map((offset) => APRIL.from + offset);
        const result: Span[] = [];
        for (let i = 0; i + 1 < sorted.length; i += 2)
          result.push({ from: sorted[i] as number, to: sorted[i + 1] as number });
        if (open && sorted.length % 2 === 1) result.push({ from: sorted.at(-1) as number, to: Infinity });
        return result;
      }),
    );

  /** Any rate, and rates on and around a half cent. */
  const rates = fc.oneof(
    fc.integer({ min: 0, max: 10_000_000_000 }),
    fc
      .integer({ min: 0, max: 1_000_000 })
      .chain((cents) => fc.constantFrom(cents * 10_000, cents * 10_000 + 4_999, cents * 10_000 + 5_000)),
  );
  const wholeMonth = fc.constant<Span[]>([{ from: APRIL.from - DAY, to: Number.POSITIVE_INFINITY }]);

  it('gives the same cents for any stays, inactive stretches and rate, sub-cent rates too', () => {
    fc.assert(
      fc.property(
        rates,
        fc.oneof(spans, wholeMonth),
        fc.oneof(spans, fc.constant<Span[]>([])),
        (rate, assigned, inactive) => {
          const expected = assigned.some((s) => clip(s, APRIL))
            ? reference(rate, assigned, inactive, APRIL)
            : 0n;
          expect(agentRevenueMicros(rate, 'prorated', assigned, inactive, APRIL)).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('sliceCost and picoToMicros', () => {
  it('is exact where floating point is not', () => {
    // 1,234,567 input tokens at $2.50 per million (2,500,000 pico per token) and 7,654,321 output
    // tokens at $10.00 per million: 3,086,417,500,000 + 76,543,210,000,000 pico.
    expect(costPico(1_234_567, 7_654_321, 2_500_000n, 10_000_000n)).toBe(79_629_627_500_000n);
    // Beyond 2^53: 999,999,999,999,999 tokens at $75 per million.
    expect(costPico(999_999_999_999_999, 0, 75_000_000n, 0n)).toBe(74_999_999_999_999_925_000_000n);
  });

  it('rounds pico to micro-units half up', () => {
    expect(picoToMicros(1_500_000n)).toBe(2n);
    expect(picoToMicros(1_499_999n)).toBe(1n);
    expect(picoToMicros(500_000n)).toBe(1n);
    expect(picoToMicros(499_999n)).toBe(0n);
    expect(picoToMicros(0n)).toBe(0n);
    // 7 tokens at $0.15 per million = $0.00000105 → $0.000001.
    expect(picoToMicros(costPico(7, 0, 150_000n, 0n))).toBe(1n);
  });
});

describe('margin', () => {
  it('is null without revenue', () => {
    expect(margin(0n, 0n)).toBeNull();
    expect(margin(0n, 5_000_000n)).toBeNull();
  });

  it('is (revenue − cost) ÷ revenue to 4 decimals', () => {
    expect(margin(usd('100.00'), usd('25.00'))).toBe(0.75);
    expect(margin(usd('100.00'), 0n)).toBe(1);
    expect(margin(usd('100.00'), usd('100.00'))).toBe(0);
    // 2/3 = 0.66666… → 0.6667
    expect(margin(usd('3.00'), usd('1.00'))).toBe(0.6667);
  });

  it('rounds an exact half at the 5th decimal up', () => {
    // (100 − 12.345) / 100 = 0.87655 → 0.8766
    expect(margin(usd('100.00'), 12_345_000n)).toBe(0.8766);
    // (100 − 12.34501) / 100 = 0.8765499 → 0.8765
    expect(margin(usd('100.00'), 12_345_010n)).toBe(0.8765);
  });

  it('goes negative when cost exceeds revenue, rounding halves away from zero', () => {
    expect(margin(usd('100.00'), usd('150.00'))).toBe(-0.5);
    // (100 − 112.345) / 100 = −0.12345 → −0.1235
    expect(margin(usd('100.00'), 112_345_000n)).toBe(-0.1235);
    // (10 − 40) / 10 = −3
    expect(margin(usd('10.00'), usd('40.00'))).toBe(-3);
    // (3 − 4) / 3 = −0.3333…
    expect(margin(usd('3.00'), usd('4.00'))).toBe(-0.3333);
  });
});
