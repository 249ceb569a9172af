import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconFileImport, IconPencil, IconPlus, IconSearch, IconTags } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { Price } from '../../../../shared/contract/billing';
import { plural } from '../../../../shared/domain/counts';
import { useUrlSearch, useUrlState } from '../../app/use-url-state';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { HoverTooltip } from '../../ui/HoverTooltip';
import { Pages } from '../../ui/Pages';
import { DataTable, exactAmount, SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { NumTd } from './figures';
import { LitellmImportModal } from './LitellmImportModal';
import { usePrices } from './queries';
import { SetPriceModal, todayUtc } from './SetPriceModal';

const PAGE_SIZE = 50;

const COLUMNS = ['model', 'from', 'input', 'output', 'rates', 'source'] as const;
const VALUES = {
  model: (line: PriceLine) => line.model,
  from: (line: PriceLine) => line.from,
  input: (line: PriceLine) => exactAmount(line.input),
  output: (line: PriceLine) => exactAmount(line.output),
  rates: (line: PriceLine) => line.rates.length,
  source: (line: PriceLine) => line.source,
};
const firstDirection = (column: (typeof COLUMNS)[number]) =>
  ['model', 'source'].includes(column) ? 'asc' : 'desc';

type Standing = 'current' | 'scheduled' | 'earlier';

interface PriceLine extends Price {
  standing: Standing;
}

/** Newest first per model; the price in force today is current, later ones scheduled. */
function withStanding(prices: Price[], today: string): PriceLine[] {
  const sorted = [...prices].sort((a, b) =>
    a.model === b.model ? b.from.localeCompare(a.from) : a.model.localeCompare(b.model),
  );
  const seen = new Set<string>();
  return sorted.map((price) => {
    if (price.from > today) return { ...price, standing: 'scheduled' };
    if (seen.has(price.model)) return { ...price, standing: 'earlier' };
    seen.add(price.model);
    return { ...price, standing: 'current' };
  });
}

const STANDING_BADGE: Record<Standing, { color: string; label: string } | null> = {
  current: { color: 'teal', label: 'Current' },
  scheduled: { color: 'blue', label: 'Scheduled' },
  earlier: null,
};

const per = (value: string) => `$${value}`;

/** "cache_read $0.30 · output@batch $7.50 · input>200000 $6.00", as `price set --rate` writes keys. */
const ratesText = (rates: Price['rates']) =>
  rates
    .map(
      (rate) =>
        `${rate.category}${rate.tier === 'standard' ? '' : `@${rate.tier}`}${rate.above === 0 ? '' : `>${rate.above}`} ${per(rate.price)}`,
    )
    .join(' · ');

/** Model prices with their history; owners and admins set one or import a LiteLLM cost map. */
export function PricesPanel() {
  const prices = usePrices();
  const [params, update] = useUrlState();
  const { text: search, setText: setSearch, search: typed } = useUrlSearch(200);
  const debounced = typed.toLowerCase();
  const pageParam = Number(params.get('page'));
  const page = Number.isInteger(pageParam) && pageParam > 1 ? pageParam : 1;
  const setPage = (next: number) => update({ page: next > 1 ? String(next) : null });
  const { sort, onSort } = useTableSort(
    'sort',
    COLUMNS,
    { column: 'model', direction: 'asc' },
    firstDirection,
  );
  const th = {
    sort,
    onSort: (column: (typeof COLUMNS)[number]) => {
      onSort(column);
      setPage(1);
    },
  };
  const [editing, setEditing] = useState<{ model?: string; current?: Price } | null>(null);
  const [importing, setImporting] = useState(false);

  const lines = useMemo(() => withStanding(prices.data ?? [], todayUtc()), [prices.data]);
  const shown = sortRows(
    debounced ? lines.filter((line) => line.model.toLowerCase().includes(debounced)) : lines,
    sort,
    VALUES,
  );
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  const current = Math.min(page, pages);
  const models = new Set(lines.map((line) => line.model)).size;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={3}>Model prices</Title>
          <Text c="dimmed" size="sm">
            USD per 1,000,000 tokens. Usage is costed at the price in force on its day.
            {prices.data ? ` ${plural(models, 'model')}, ${plural(lines.length, 'price')}.` : ''}
          </Text>
        </div>
        <Group gap="sm">
          <Button
            variant="default"
            leftSection={<IconFileImport size={16} />}
            onClick={() => setImporting(true)}
          >
            Import LiteLLM
          </Button>
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing({})}>
            Set price
          </Button>
        </Group>
      </Group>
      <TextInput
        placeholder="Search models"
        aria-label="Search models"
        leftSection={<IconSearch size={16} />}
        value={search}
        onChange={(event) => {
          setSearch(event.currentTarget.value);
          setPage(1);
        }}
        w={360}
        maw="100%"
      />
      <Paper withBorder p={0}>
        {prices.isPending ? (
          <Stack p="md" gap="sm" aria-busy="true" aria-label="Loading prices">
            {[0, 1, 2].map((row) => (
              <Skeleton key={row} h={28} />
            ))}
          </Stack>
        ) : prices.isError ? (
          <Stack p="md">
            <ErrorState
              title="Could not load prices"
              error={prices.error}
              onRetry={() => void prices.refetch()}
            />
          </Stack>
        ) : shown.length === 0 ? (
          <EmptyState icon={<IconTags size={24} />} title={debounced ? 'No match' : 'No prices yet'}>
            <EmptyHint>
              {debounced
                ? `No model's name contains “${debounced}”.`
                : 'Set a price per model, or import a LiteLLM cost map. Tokens of a model without a price cost nothing in the reports and show as unpriced.'}
            </EmptyHint>
          </EmptyState>
        ) : (
          <DataTable minWidth={760} verticalSpacing="xs" highlightOnHover aria-label="Model prices">
            <Table.Thead>
              <Table.Tr>
                <SortableTh column="model" label="Model" {...th} />
                <SortableTh column="from" label="From" {...th} />
                <SortableTh column="input" label="Input / 1M" numeric {...th} />
                <SortableTh column="output" label="Output / 1M" numeric {...th} />
                <SortableTh column="rates" label="Other rates / 1M" {...th} />
                <SortableTh column="source" label="Source" {...th} />
                <Table.Th w={60} aria-label="Actions" />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE).map((line) => {
                const badge = STANDING_BADGE[line.standing];
                const dim = line.standing === 'earlier' ? 'dimmed' : undefined;
                return (
                  <Table.Tr key={`${line.model}|${line.from}`}>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Text size="sm" ff="monospace" c={dim}>
                          {line.model}
                        </Text>
                        {badge && (
                          <Badge size="xs" variant="light" color={badge.color}>
                            {badge.label}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td c={dim} style={{ whiteSpace: 'nowrap' }}>
                      {line.from}
                    </Table.Td>
                    <NumTd c={dim}>{per(line.input)}</NumTd>
                    <NumTd c={dim}>{per(line.output)}</NumTd>
                    <Table.Td>
                      {line.rates.length === 0 ? (
                        <Text size="sm" c="dimmed">
                          —
                        </Text>
                      ) : (
                        <Text size="sm" c={dim} lineClamp={1} maw={260} title={ratesText(line.rates)}>
                          {ratesText(line.rates)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td c={dim}>
                      <Text size="sm" c={dim ?? 'dimmed'}>
                        {line.source}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {line.standing !== 'earlier' && (
                        <HoverTooltip label="New price for this model">
                          <ActionIcon
                            variant="subtle"
                            aria-label={`Set a new price for ${line.model}`}
                            onClick={() => setEditing({ model: line.model, current: line })}
                          >
                            <IconPencil size={16} />
                          </ActionIcon>
                        </HoverTooltip>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </DataTable>
        )}
      </Paper>
      {pages > 1 && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {plural(shown.length, 'price')}, {PAGE_SIZE} per page
          </Text>
          <Pages total={pages} value={current} onChange={setPage} label="Price pages" />
        </Group>
      )}
      {editing && (
        <SetPriceModal model={editing.model} current={editing.current} onClose={() => setEditing(null)} />
      )}
      {importing && <LitellmImportModal onClose={() => setImporting(false)} />}
    </Stack>
  );
}
