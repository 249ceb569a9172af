import { Button, Table, Text } from '@mantine/core';
import { IconLink } from '@tabler/icons-react';
import { useState } from 'react';
import type { ImportJob } from '../../../../shared/contract/billing';
import { formatCount } from '../../../../shared/domain/counts';
import { SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { identityName, KIND_NOUNS, SOURCE_LABELS } from '../agents/identity-labels';
import { MapIdentityModal } from '../agents/MapIdentityModal';
import { NUMERIC } from './figures';

type Unmatched = ImportJob['unmatched'][number];

const COLUMNS = ['identity', 'rows', 'input', 'cacheReads', 'cacheWrites', 'output'] as const;
const VALUES = {
  identity: identityName,
  rows: (identity: Unmatched) => identity.rows,
  input: (identity: Unmatched) => identity.input_tokens,
  cacheReads: (identity: Unmatched) => identity.cache_read_tokens,
  cacheWrites: (identity: Unmatched) => identity.cache_write_total_tokens,
  output: (identity: Unmatched) => identity.output_tokens,
};

/**
 * The identities of a provider export that no alias maps: their rows were left out (and not
 * marked seen), so mapping one to an agent and importing the file again counts them.
 */
export function UnmatchedIdentities({ unmatched }: { unmatched: Unmatched[] }) {
  const [mapping, setMapping] = useState<Unmatched | null>(null);
  const { sort, onSort } = useTableSort(
    'unmatched',
    COLUMNS,
    { column: 'rows', direction: 'desc' },
    (column) => (column === 'identity' ? 'asc' : 'desc'),
  );
  const th = { sort, onSort };
  return (
    <div>
      <Text size="sm" fw={600}>
        Unmatched identities
      </Text>
      <Text size="sm" c="dimmed" mb={4}>
        These rows name no agent yet and were left out. Map each to an agent, then import the file again: only
        the rows left out are added.
      </Text>
      {/* Narrow windows scroll the table rather than break key ids mid-word. */}
      <Table.ScrollContainer minWidth={680}>
        <Table verticalSpacing={4} aria-label="Unmatched identities" withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <SortableTh column="identity" label="Identity" {...th} />
              <SortableTh column="rows" label="Rows" numeric {...th} />
              <SortableTh column="input" label="Input" numeric {...th} />
              <SortableTh column="cacheReads" label="Cache reads" numeric {...th} />
              <SortableTh column="cacheWrites" label="Cache writes" numeric {...th} />
              <SortableTh column="output" label="Output" numeric {...th} />
              <Table.Th aria-label="Actions" />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sortRows(unmatched, sort, VALUES).map((identity) => (
              <Table.Tr key={`${identity.source} ${identity.kind} ${identity.value}`}>
                <Table.Td>
                  <Text size="sm">
                    {SOURCE_LABELS[identity.source]} {KIND_NOUNS[identity.kind]}
                  </Text>
                  <Text size="xs" ff="monospace" c="dimmed">
                    {identity.value}
                  </Text>
                </Table.Td>
                <Table.Td ta="right" style={NUMERIC}>
                  {formatCount(identity.rows)}
                </Table.Td>
                <Table.Td ta="right" style={NUMERIC}>
                  {formatCount(identity.input_tokens)}
                </Table.Td>
                <Table.Td ta="right" style={NUMERIC}>
                  {formatCount(identity.cache_read_tokens)}
                </Table.Td>
                <Table.Td ta="right" style={NUMERIC}>
                  {formatCount(identity.cache_write_total_tokens)}
                </Table.Td>
                <Table.Td ta="right" style={NUMERIC}>
                  {formatCount(identity.output_tokens)}
                </Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="light"
                    leftSection={<IconLink size={14} />}
                    onClick={() => setMapping(identity)}
                    aria-label={`Map ${identityName(identity)} to an agent`}
                  >
                    Map to an agent
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {mapping && <MapIdentityModal identity={mapping} onClose={() => setMapping(null)} />}
    </div>
  );
}
