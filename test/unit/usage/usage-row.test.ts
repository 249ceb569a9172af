import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TOKENS, parserFor, toUsageRow } from '../../../electron/backend/usage/usage-row';

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** What a timestamp means, worked out the plain way: a regular expression, Date.parse and a calendar check. */
function reference(text: string): number | string {
  if (!ISO_WITH_ZONE.test(text))
    return 'timestamp must be ISO 8601 with a time zone, e.g. 2026-03-01T12:00:00Z';
  const ms = Date.parse(text);
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  // The year as written: Date.UTC would read 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (Number.isNaN(ms) || date.getUTCDate() !== day || date.getUTCMonth() !== month - 1)
    return 'timestamp is not a real date and time';
  return ms >= 0 && ms < 65_536 * 86_400_000 ? ms : 'timestamp must fall between 1970 and 2149';
}

const timestampOf = (text: string) => {
  const parsed = toUsageRow({
    timestamp: text,
    agent: 'a',
    model: 'm',
    input_tokens: 1,
    output_tokens: 1,
    id: null,
  });
  return typeof parsed === 'string' ? parsed : parsed.timestamp;
};

/** Two digits from 0 to `to`: the valid range and a little past it. */
const upTo = (to: number) => fc.integer({ min: 0, max: to }).map((n) => String(n).padStart(2, '0'));

describe('usage timestamps', () => {
  it('are read the same by the fast path as by Date.parse, valid or not', () => {
    const shaped = fc
      .tuple(
        fc.constantFrom('1969', '1970', '2024', '2026', '2149', '2150', '0000', '0099'),
        upTo(13),
        upTo(32),
        upTo(25),
        upTo(61),
        upTo(61),
        fc.option(fc.integer({ min: 0, max: 999 }).map((n) => String(n).padStart(3, '0'))),
        fc.constantFrom('Z', 'Z', '+02:00', 'z', ''),
      )
      .map(([y, mo, d, h, mi, s, ms, zone]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${ms ? `.${ms}` : ''}${zone}`);
    fc.assert(
      fc.property(fc.oneof(shaped, fc.string()), (text) => {
        expect(timestampOf(text)).toEqual(reference(text));
      }),
      {
        numRuns: 5000,
      },
    );
  });

  it('refuses a day past the end of its month rather than rolling it over', () => {
    expect(timestampOf('2026-02-30T00:00:00Z')).toBe('timestamp is not a real date and time');
    expect(timestampOf('2028-02-29T23:59:59.999Z')).toBe(Date.UTC(2028, 1, 29, 23, 59, 59, 999));
  });
});

describe('usage token counts', () => {
  const countOf = (input: unknown) => {
    const parsed = toUsageRow({
      timestamp: '2026-08-10T00:00:00Z',
      agent: 'mover-bot',
      model: 'gpt-4o',
      input_tokens: input,
      output_tokens: 0,
      id: null,
    });
    return typeof parsed === 'string' ? parsed : parsed.inputTokens;
  };

  it('accepts every count up to 10^12 and refuses any above, as text or as a JSON number', () => {
    expect(countOf('1000000000000')).toBe(MAX_TOKENS);
    expect(countOf(MAX_TOKENS)).toBe(MAX_TOKENS);
    expect(countOf('0')).toBe(0);
    const refused = 'input_tokens must be a whole number from 0 to 1000000000000';
    for (const over of ['1000000000001', '4000000000000', '9999999999999', '99999999999999', 2 ** 53]) {
      expect(countOf(over)).toBe(refused);
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_TOKENS }), (n) => countOf(String(n)) === n),
      { numRuns: 200 },
    );
  });
});

describe('usage record ids', () => {
  const line = (id: string) =>
    `{"id":${id},"timestamp":"2026-03-01T00:00:00Z","agent":"a1","model":"m","input_tokens":"100","output_tokens":"0"}`;

  it('refuses a JSON number id past 2^53, which two different ids would round to, and reads one as text exactly', () => {
    const { parse } = parserFor(line('1'));
    // 1234567890123456789 and …790 both read as 1234567890123456800: one would be skipped as the other's duplicate.
    for (const id of ['1234567890123456789', '1234567890123456790'])
      expect(parse(line(id))).toMatch(/^id is a number too large to read exactly/);
    const parsed = parse(line('"1234567890123456789"'));
    expect(typeof parsed === 'string' ? parsed : parsed.id).toBe('1234567890123456789');
    const small = parse(line('9007199254740991'));
    expect(typeof small === 'string' ? small : small.id).toBe('9007199254740991');
  });
});
