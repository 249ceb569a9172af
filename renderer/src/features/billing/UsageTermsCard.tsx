import { Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ChannelParsedInput } from '../../../../shared/contract';
import type { Org, OrgBillingTerms } from '../../../../shared/contract/orgs';
import { decimalPercent } from '../../../../shared/domain/percent';
import { usd } from '../../ui/money';
import { QueryState } from '../../ui/QueryState';
import { SortableTh, sortRows, useTableSort } from '../../ui/SortableTable';
import { useContractForm } from '../../ui/use-contract-form';
import { touchedBy } from '../orgs/OrgEditForm';
import { EffectiveFromField, todayUtc } from './EffectiveFromField';
import { useOrgBillingTerms, useSetModelMarkup, useUpdateOrgTerms } from './queries';

/** The usage terms as the form holds them: a markup left empty (null) means usage is not rebilled. */
const termsForm = (org: Org) => ({
  id: org.id,
  usageMarkup: org.usageMarkup,
  includedUsage: org.includedUsage,
  minimum: org.minimum,
  from: todayUtc(),
});

/** A term's history as "from → value" lines, newest first. */
interface TermChange {
  from: string;
  what: string;
  value: string;
}

const COLUMNS = ['from', 'term', 'value'] as const;
// Values are money or percentages as shown: the viewer's collation orders their numbers.
const VALUES = {
  from: (row: TermChange) => row.from,
  term: (row: TermChange) => row.what,
  value: (row: TermChange) => row.value,
};

/** Every dated change of the org's terms, the latest first unless sorted. */
function TermsHistoryTable({ rows }: { rows: TermChange[] }) {
  const { sort, onSort } = useTableSort('terms', COLUMNS, { column: 'from', direction: 'desc' }, (column) =>
    column === 'from' ? 'desc' : 'asc',
  );
  const th = { sort, onSort };
  return (
    <Table verticalSpacing={4} aria-label="Billing terms history">
      <Table.Thead>
        <Table.Tr>
          <SortableTh column="from" label="From (UTC)" {...th} />
          <SortableTh column="term" label="Term" {...th} />
          <SortableTh column="value" label="Value" {...th} />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sortRows(rows, sort, VALUES).map((row) => (
          <Table.Tr key={`${row.from}|${row.what}`}>
            <Table.Td ff="monospace">{row.from}</Table.Td>
            <Table.Td>{row.what}</Table.Td>
            <Table.Td>{row.value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function historyRows(terms: OrgBillingTerms) {
  const rows: TermChange[] = [];
  const add = (
    what: string,
    changes: { from: string; value: string | null }[],
    show: (v: string | null) => string,
  ) => {
    for (const change of changes) rows.push({ from: change.from, what, value: show(change.value) });
  };
  const money = (value: string | null) => (value === null ? '—' : usd(value));
  const pct = (value: string | null) => (value === null ? 'not rebilled' : decimalPercent(value));
  add('Rate per agent', terms.rate.changes, money);
  add('Billing mode', terms.billingMode.changes, (value) =>
    value === 'full_month' ? 'Full month' : 'Prorated',
  );
  add('Usage markup', terms.usageMarkup.changes, pct);
  add('Included usage', terms.includedUsage.changes, money);
  add('Minimum', terms.minimum.changes, money);
  for (const model of terms.modelMarkups)
    add(`Markup on ${model.model}`, model.changes, (value) =>
      value === null ? 'the org’s markup' : decimalPercent(value),
    );
  return rows.sort((a, b) => (a.from < b.from ? 1 : a.from > b.from ? -1 : a.what.localeCompare(b.what)));
}

/**
 * The org's usage rebilling: markup on cost, per-model markups, usage included each month and a
 * minimum monthly charge, each from a day on; with the history of every dated billing term.
 */
export function UsageTermsCard({ org, editable }: { org: Org; editable: boolean }) {
  const terms = useOrgBillingTerms(org.id);
  const update = useUpdateOrgTerms();
  const setMarkup = useSetModelMarkup();
  const saved = termsForm(org);
  const form = useContractForm(({ contract }) => contract['orgs.update'].input, saved);
  const markupForm = useContractForm(({ contract }) => contract['orgs.setModelMarkup'].input, {
    id: org.id,
    model: '',
    pct: null,
    from: todayUtc(),
  });
  const changed = {
    usageMarkup: (form.values.usageMarkup ?? null) !== saved.usageMarkup,
    includedUsage: form.values.includedUsage !== saved.includedUsage,
    minimum: form.values.minimum !== saved.minimum,
  };
  const dirty = changed.usageMarkup || changed.includedUsage || changed.minimum;
  const touched = terms.data
    ? touchedBy(
        [
          ...(changed.usageMarkup ? [{ history: terms.data.usageMarkup, monthly: false }] : []),
          ...(changed.includedUsage ? [{ history: terms.data.includedUsage, monthly: true }] : []),
          ...(changed.minimum ? [{ history: terms.data.minimum, monthly: true }] : []),
        ],
        form.values.from ?? '',
      )
    : null;
  // Only what changed is sent, so each term's history gets only real changes.
  const changedOnly = {
    mutateAsync: (input: ChannelParsedInput<'orgs.update'>) =>
      update.mutateAsync({
        id: org.id,
        from: input.from,
        usageMarkup: changed.usageMarkup ? input.usageMarkup : undefined,
        includedUsage: changed.includedUsage ? input.includedUsage : undefined,
        minimum: changed.minimum ? input.minimum : undefined,
      }),
  };

  return (
    <Paper withBorder p="lg" role="region" aria-label="Usage rebilling">
      <Stack gap="md">
        <div>
          <Title order={4}>Usage rebilling</Title>
          <Text size="sm" c="dimmed">
            Usage fee = cost beyond the included usage × (1 + markup); a model’s own markup replaces the
            org’s. A month’s revenue is topped up to the minimum at its end (the current month’s forecast
            includes it). Terms in effect today:{' '}
            {org.usageMarkup == null ? 'usage not rebilled' : `${decimalPercent(org.usageMarkup)} markup`},{' '}
            {usd(org.includedUsage ?? '0.00')} included, {usd(org.minimum ?? '0.00')} minimum a month.
          </Text>
        </div>
        {editable && (
          <form
            noValidate
            aria-label="Usage terms"
            onSubmit={form.submit(changedOnly, (next) => {
              form.reset(termsForm(next));
              notifications.show({
                color: 'teal',
                title: 'Saved',
                message: `${next.name}’s usage terms changed.`,
              });
            })}
          >
            <Stack gap="sm">
              <Group grow align="flex-start">
                <TextInput
                  label="Usage markup"
                  description="Percent on top of cost; empty: not rebilled"
                  rightSection="%"
                  inputMode="decimal"
                  {...form.textOrNull('usageMarkup')}
                />
                <TextInput
                  label="Included usage / month"
                  description="Cost covered before the fee applies"
                  leftSection="$"
                  inputMode="decimal"
                  {...form.text('includedUsage')}
                />
                <TextInput
                  label="Minimum / month"
                  description="Revenue is topped up to it"
                  leftSection="$"
                  inputMode="decimal"
                  {...form.text('minimum')}
                />
              </Group>
              {dirty && (
                <EffectiveFromField
                  value={form.values.from ?? ''}
                  onChange={(day) => form.set('from', day)}
                  error={form.errors.from}
                  touched={touched}
                />
              )}
              <Group justify="flex-end">
                {dirty && (
                  <Button variant="default" onClick={() => form.reset(saved)}>
                    Discard changes
                  </Button>
                )}
                <Button type="submit" disabled={!dirty} loading={update.isPending}>
                  Save usage terms
                </Button>
              </Group>
            </Stack>
          </form>
        )}
        {editable && (
          <form
            noValidate
            aria-label="Model markup"
            onSubmit={markupForm.submit(setMarkup, () => {
              notifications.show({
                color: 'teal',
                title: 'Saved',
                message: `${markupForm.values.model}’s markup for ${org.name} is set.`,
              });
              markupForm.reset({ id: org.id, model: '', pct: null, from: todayUtc() });
            })}
          >
            <Group align="flex-end" wrap="wrap">
              <TextInput label="Model" placeholder="e.g. gpt-4o" w={220} {...markupForm.text('model')} />
              <TextInput
                label="Its markup"
                description="Empty: the org’s"
                rightSection="%"
                inputMode="decimal"
                w={140}
                {...markupForm.textOrNull('pct')}
              />
              <TextInput type="date" label="From when" w={180} {...markupForm.text('from')} />
              <Button type="submit" variant="light" loading={setMarkup.isPending}>
                Set model markup
              </Button>
            </Group>
          </form>
        )}
        <QueryState
          query={terms}
          loadingLabel="Loading billing terms"
          errorTitle="Could not load the billing terms"
          rows={3}
          isEmpty={(data) => historyRows(data).length === 0}
          empty={
            <Text size="sm" c="dimmed">
              No dated changes: the rate and billing mode set at creation hold from the beginning.
            </Text>
          }
        >
          {(data) => <TermsHistoryTable rows={historyRows(data)} />}
        </QueryState>
      </Stack>
    </Paper>
  );
}
