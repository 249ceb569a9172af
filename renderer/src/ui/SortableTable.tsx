import { Center, Group, Table, type TableProps, Text, UnstyledButton } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconChevronDown, IconChevronUp, IconSelector } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useUrlState } from '../app/use-url-state';
import { type Sort, type SortDirection, sortInAddress } from './sort-rows';

export { exactAmount, type Sort, type SortDirection, type SortValue, sortRows } from './sort-rows';

/**
 * A table's sort, kept in the address under `param` ("-cost" is cost, largest first), so a reload,
 * Back or a pasted link shows the same order. Clicking the sorted column turns it round; another
 * column starts in its natural direction (amounts and times largest first, text A to Z).
 */
export function useTableSort<Column extends string>(
  param: string,
  columns: readonly Column[],
  initial: Sort<Column>,
  firstDirection: (column: Column) => SortDirection = () => 'asc',
) {
  const [params, update] = useUrlState();
  const sort = sortInAddress(params, param, columns, initial);
  const write = (next: Sort<Column>) => {
    const same = next.column === initial.column && next.direction === initial.direction;
    update({ [param]: same ? null : `${next.direction === 'desc' ? '-' : ''}${next.column}` });
  };
  const onSort = (column: Column) =>
    write(
      sort.column === column
        ? { column, direction: sort.direction === 'asc' ? 'desc' : 'asc' }
        : { column, direction: firstDirection(column) },
    );
  return { sort, onSort };
}

/**
 * A column header that sorts: a button (Tab and Enter or Space work), with aria-sort telling
 * screen readers the order, and an arrow showing it.
 */
export function SortableTh<Column extends string>({
  column,
  label,
  sort,
  onSort,
  numeric = false,
  hint,
  w,
}: {
  column: Column;
  label: string;
  sort: Sort<Column>;
  onSort: (column: Column) => void;
  /** Right-aligned, as amounts and counts are. */
  numeric?: boolean;
  /** What else the column shows, not sorted by. */
  hint?: string;
  w?: number | string;
}) {
  const active = sort.column === column;
  const Icon = !active ? IconSelector : sort.direction === 'asc' ? IconChevronUp : IconChevronDown;
  return (
    <Table.Th
      w={w}
      aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
      p={0}
    >
      <UnstyledButton
        onClick={() => onSort(column)}
        px="xs"
        py={6}
        w="100%"
        title={`Sort by ${label.toLowerCase()}`}
        // A long label wraps rather than widen the table past a narrow window.
        style={{ fontWeight: 'inherit', fontSize: 'inherit', textAlign: numeric ? 'right' : 'left' }}
      >
        {/* The icon beside its own label: at the cell's far edge it sat next to the following
            (right-aligned) column's, and neither said which column it sorted. */}
        <Group justify={numeric ? 'flex-end' : 'flex-start'} wrap="nowrap" gap={4}>
          {numeric && (
            <Center c={active ? undefined : 'dimmed'}>
              <Icon size={14} stroke={1.5} aria-hidden />
            </Center>
          )}
          <span>
            {label}
            {hint && (
              <Text span inherit c="dimmed" fw={400}>
                {' '}
                / {hint}
              </Text>
            )}
          </span>
          {!numeric && (
            <Center c={active ? undefined : 'dimmed'}>
              <Icon size={14} stroke={1.5} aria-hidden />
            </Center>
          )}
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

/** The shell's header: a sticky table header stops below it. */
const SHELL_HEADER_HEIGHT = 60;

/**
 * A table whose header stays in view while the page scrolls. Below 1024 px, where a table may be
 * wider than the window, it scrolls sideways instead (a sideways scroll box would hold the sticky
 * header to itself, so the two do not go together).
 */
export function DataTable({
  minWidth,
  children,
  ...props
}: TableProps & { minWidth: number; children: ReactNode }) {
  // Read as the table first draws, not in an effect that drew every table a second time.
  const narrow = useMediaQuery('(max-width: 63.99em)', undefined, { getInitialValueInEffect: false });
  const table = (
    <Table stickyHeader={!narrow} stickyHeaderOffset={SHELL_HEADER_HEIGHT} {...props}>
      {children}
    </Table>
  );
  return narrow ? <Table.ScrollContainer minWidth={minWidth}>{table}</Table.ScrollContainer> : table;
}
