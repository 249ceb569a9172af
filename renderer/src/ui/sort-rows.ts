import { toScaled } from '../../../shared/domain/decimal';
import { lazily } from '../../../shared/lazily';

/** How tables order their rows: pure, so the rules are tested without a page. */
export type SortDirection = 'asc' | 'desc';
export interface Sort<Column extends string> {
  column: Column;
  direction: SortDirection;
}

/**
 * The sort an address names under `param` ("-cost" is cost, largest first), else `initial`. Pure,
 * for loading a sorted page's data before the page renders as well as for the page.
 */
export function sortInAddress<Column extends string>(
  params: URLSearchParams,
  param: string,
  columns: readonly Column[],
  initial: Sort<Column>,
): Sort<Column> {
  const raw = params.get(param) ?? '';
  const descending = raw.startsWith('-');
  const name = descending ? raw.slice(1) : raw;
  return (columns as readonly string[]).includes(name)
    ? { column: name as Column, direction: descending ? 'desc' : 'asc' }
    : initial;
}

/** What a column sorts by: text by the viewer's collation, numbers and exact amounts by value. */
export type SortValue = string | number | bigint | null | undefined;

/** An exact decimal amount from the server ("10.500000") as a number to sort by, never a float. */
export const exactAmount = (value: string | null | undefined): bigint | null =>
  value === null || value === undefined ? null : toScaled(value, 12);

const collator = lazily(() => new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' }));

/** Two values of one column; an absent value sorts last whichever the direction. */
function compareValues(a: SortValue, b: SortValue, direction: SortDirection): number {
  const aMissing = a === null || a === undefined;
  const bMissing = b === null || b === undefined;
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  const order =
    typeof a === 'string' && typeof b === 'string' ? collator().compare(a, b) : a < b ? -1 : a > b ? 1 : 0;
  return direction === 'asc' ? order : -order;
}

/** The rows in the sort's order (a stable sort: equal rows keep the server's order). */
export function sortRows<Row, Column extends string>(
  rows: readonly Row[],
  sort: Sort<Column>,
  values: Record<Column, (row: Row) => SortValue>,
): Row[] {
  const columnValue = values[sort.column];
  return rows
    .map((row, index) => ({ row, index, value: columnValue(row) }))
    .sort((a, b) => compareValues(a.value, b.value, sort.direction) || a.index - b.index)
    .map(({ row }) => row);
}
