import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { patchedAddress } from '../../../renderer/src/app/address';
import { exactAmount, sortInAddress, sortRows } from '../../../renderer/src/ui/sort-rows';

interface Row {
  name: string;
  cost: string;
  margin: number | null;
}
const VALUES = {
  name: (row: Row) => row.name,
  cost: (row: Row) => exactAmount(row.cost),
  margin: (row: Row) => row.margin,
};
const rows: Row[] = [
  { name: 'Globex', cost: '18.000000', margin: -0.44 },
  { name: 'Initech', cost: '112.512500', margin: 0.25 },
  { name: 'acme', cost: '25.000000', margin: null },
  { name: 'Beta 10', cost: '0.000001', margin: 0.9 },
  { name: 'Beta 9', cost: '0.0000009', margin: 0.9 },
];
const names = (sorted: Row[]) => sorted.map((row) => row.name);

describe('tables sort on the server’s exact figures', () => {
  it('orders amounts as numbers, not as their text ("$112.51" after "$25.00")', () => {
    expect(names(sortRows(rows, { column: 'cost', direction: 'desc' }, VALUES))).toEqual([
      'Initech',
      'acme',
      'Globex',
      'Beta 10',
      'Beta 9',
    ]);
  });

  it('keeps an amount’s every digit: a millionth and 0.9 of one differ', () => {
    expect(names(sortRows(rows, { column: 'cost', direction: 'asc' }, VALUES)).slice(0, 2)).toEqual([
      'Beta 9',
      'Beta 10',
    ]);
  });

  it('puts a missing value (no margin without revenue) last in both directions, equal rows in their order', () => {
    expect(names(sortRows(rows, { column: 'margin', direction: 'desc' }, VALUES))).toEqual([
      'Beta 10',
      'Beta 9',
      'Initech',
      'Globex',
      'acme',
    ]);
    expect(names(sortRows(rows, { column: 'margin', direction: 'asc' }, VALUES)).at(-1)).toBe('acme');
  });

  it('orders text case-blind, numbers inside it by value', () => {
    expect(names(sortRows(rows, { column: 'name', direction: 'asc' }, VALUES))).toEqual([
      'acme',
      'Beta 9',
      'Beta 10',
      'Globex',
      'Initech',
    ]);
  });

  it('agrees with exact decimal comparison for any two amounts', () => {
    const amount = fc
      .tuple(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 6 }))
      .map(([units, scale]) => {
        const negative = units < 0n;
        const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
        const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
        return { text: `${negative ? '-' : ''}${text}`, value: units * 10n ** BigInt(6 - scale) };
      });
    fc.assert(
      fc.property(fc.array(amount, { maxLength: 20 }), (amounts) => {
        const sorted = sortRows(
          amounts,
          { column: 'x', direction: 'asc' },
          { x: (a) => exactAmount(a.text) },
        );
        for (let i = 1; i < sorted.length; i++)
          expect((sorted[i - 1] as { value: bigint }).value <= (sorted[i] as { value: bigint }).value).toBe(
            true,
          );
      }),
    );
  });
});

describe('the address keeps a view', () => {
  it('sets and clears keys of the hash route’s query, keeping the others', () => {
    expect(patchedAddress('/billing', { sort: '-cost' })).toBe('/billing?sort=-cost');
    expect(patchedAddress('/billing?month=2025-12&sort=-cost', { sort: null })).toBe(
      '/billing?month=2025-12',
    );
    expect(patchedAddress('/agents?q=bot&page=3', { q: 'helpdesk', page: null })).toBe('/agents?q=helpdesk');
    expect(patchedAddress('/orgs/acme-logistics/agents', { org: 'acme-logistics' })).toBe(
      '/orgs/acme-logistics/agents?org=acme-logistics',
    );
  });
});

describe('the sort an address names', () => {
  const columns = ['name', 'cost'] as const;
  const initial = { column: 'name', direction: 'asc' } as const;
  const sortOf = (query: string) => sortInAddress(new URLSearchParams(query), 'sort', columns, initial);

  it('reads a column, "-" first for largest first, and falls back on the table\'s own for anything else', () => {
    expect(sortOf('sort=-cost')).toEqual({ column: 'cost', direction: 'desc' });
    expect(sortOf('sort=cost&q=x')).toEqual({ column: 'cost', direction: 'asc' });
    expect(sortOf('sort=-margin')).toEqual(initial);
    expect(sortOf('')).toEqual(initial);
  });
});
