import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ChannelOutput } from '../../../../shared/contract';
import type { SwitcherOrg } from '../../app/use-switcher-org';
import { signedUsd } from '../../ui/money';
import { QueryState } from '../../ui/QueryState';
import { ClientUsageTable } from './ClientUsageTable';
import { MonthPicker } from './MonthPicker';
import { monthName } from './months';
import { StatementsList } from './StatementsTable';
import { useOrgUsage } from './statement-queries';
import { useBillingMonth } from './use-billing-month';

type ClosedMonth = NonNullable<ChannelOutput<'statements.usage'>['closed']>;

/** A closed month's usage may differ from its statement (a late import): says so, and where the difference goes. */
function ClosedMonthNote({ closed }: { closed: ClosedMonth }) {
  const later =
    closed.adjusted_on.length === 0
      ? ''
      : `${closed.statement ? ', with adjustments on' : '; adjustments on'} ${closed.adjusted_on.join(', ')}`;
  const moved = closed.before_move ? ', before your organization moved to this console' : '';
  const billed = closed.statement
    ? `Billed on statement ${closed.statement}${moved}${later}.`
    : `Closed with nothing to bill${moved}${later}.`;
  const signed = closed.adjustment === null ? null : signedUsd(closed.adjustment);
  return (
    <Text size="sm" c="dimmed" px="md" py="xs">
      {billed}
      {signed &&
        ` The charges below differ from what was billed by ${signed}: the difference is on your next statement.`}
    </Text>
  );
}

/**
 * What an org's own users see of billing: its statements and its usage as charged. The server
 * answers them with charges only; nothing here could show a cost or a margin.
 */
export function ClientBillingPanel({ org }: { org: SwitcherOrg }) {
  const [month, setMonth] = useBillingMonth();
  const usage = useOrgUsage(month, org.id);

  return (
    <Stack gap="lg">
      <Paper withBorder>
        <Title order={3} size="h4" p="md" pb={0}>
          Statements
        </Title>
        <StatementsList
          orgId={org.id}
          showOrg={false}
          emptyHint="Statements appear here once a month is closed."
        />
      </Paper>
      <Paper withBorder>
        <Group justify="space-between" p="md" pb={0}>
          <Title order={3} size="h4">
            Usage in {monthName(month)}
          </Title>
          <MonthPicker value={month} onChange={setMonth} />
        </Group>
        {usage.data?.closed && <ClosedMonthNote closed={usage.data.closed} />}
        <QueryState
          query={usage}
          loadingLabel="Loading usage"
          errorTitle="Could not load usage"
          isEmpty={(data) => data.rows.length === 0}
          empty={
            <Text size="sm" c="dimmed" p="md">
              No usage recorded in {monthName(month)}.
            </Text>
          }
        >
          {(data) => <ClientUsageTable rows={data.rows} />}
        </QueryState>
      </Paper>
    </Stack>
  );
}
