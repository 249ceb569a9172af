import { Badge, Group, ScrollArea, Table, Text } from '@mantine/core';
import type { ChannelOutput } from '../../../../shared/contract';
import { exactAmount, SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { NumTd } from './figures';

/** Rows of the change table drawn at once; the counts cover them all. */
const SHOWN = 300;

type Change = ChannelOutput<'prices.previewLitellm'>['changes'][number];

const KIND = {
  new: { color: 'teal', label: 'New' },
  changed: { color: 'blue', label: 'Changed' },
  same: { color: 'gray', label: 'Same' },
} as const;
/** Changed prices first: they move costs already imported; new models follow. */
const KIND_ORDER: Record<Change['kind'], number> = { changed: 0, new: 1, same: 2 };

const pair = (value: { input: string; output: string } | null) =>
  value ? `$${value.input} / $${value.output}` : '—';

const COLUMNS = ['model', 'change', 'before', 'after'] as const;
/** A price pair sorts by its input price, the one most tokens pay. */
const VALUES = {
  model: (change: Change) => change.model,
  change: (change: Change) => KIND_ORDER[change.kind],
  before: (change: Change) => exactAmount(change.before?.input),
  after: (change: Change) => exactAmount(change.after?.input),
};

/** What importing the cost map would change, model by model, the changed ones first unless sorted. */
export function PriceChangesTable({ changes }: { changes: Change[] }) {
  const { sort, onSort } = useTableSort(
    'priceChanges',
    COLUMNS,
    { column: 'change', direction: 'asc' },
    (column) => (column === 'before' || column === 'after' ? 'desc' : 'asc'),
  );
  const th = { sort, onSort };
  return (
    <ScrollArea.Autosize mah={340} type="auto">
      <Table verticalSpacing={4} stickyHeader aria-label="Price changes">
        <Table.Thead>
          <Table.Tr>
            <SortableTh column="model" label="Model" {...th} />
            <SortableTh column="change" label="Change" {...th} />
            <SortableTh column="before" label="Before" hint="in / out" numeric {...th} />
            <SortableTh column="after" label="After" hint="in / out" numeric {...th} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sortRows(changes, sort, VALUES)
            .slice(0, SHOWN)
            .map((change) => (
              <Table.Tr key={change.model}>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {change.model}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Badge size="sm" variant="light" color={KIND[change.kind].color}>
                      {KIND[change.kind].label}
                    </Badge>
                    {change.rounded && (
                      <Badge size="sm" variant="outline" color="gray" title="Rounded to 6 decimals">
                        Rounded
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <NumTd c="dimmed">{pair(change.before)}</NumTd>
                <NumTd>{pair(change.after)}</NumTd>
              </Table.Tr>
            ))}
        </Table.Tbody>
      </Table>
      {changes.length > SHOWN && (
        <Text size="xs" c="dimmed" p="xs">
          …and {changes.length - SHOWN} more.
        </Text>
      )}
    </ScrollArea.Autosize>
  );
}
