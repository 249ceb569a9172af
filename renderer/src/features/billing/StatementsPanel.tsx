import { Alert, Button, Group, Modal, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCalendarCheck } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import type { SessionUser } from '../../../../shared/contract/session';
import type { StatementSummary } from '../../../../shared/contract/statements';
import { plural } from '../../../../shared/domain/counts';
import { allows } from '../../../../shared/domain/permissions';
import { usePaletteRequest } from '../../app/palette-requests';
import type { SwitcherOrg } from '../../app/use-switcher-org';
import { usd } from '../../ui/money';
import { mutateThen } from '../../ui/mutate-then';
import { QueryState } from '../../ui/QueryState';
import { currentMonth, monthName, previousMonth, recentMonths } from './months';
import { PendingAdjustmentsTable } from './PendingAdjustmentsTable';
import { StatementsList } from './StatementsTable';
import { useCloseMonth, usePendingAdjustments, useVoidStatement } from './statement-queries';

/** Months that have ended, newest first: only those can be closed. */
const closableMonths = () => recentMonths(24).filter((month) => month < currentMonth());

function CloseMonthModal({ opened, onClose, org }: { opened: boolean; onClose(): void; org: SwitcherOrg }) {
  const [month, setMonth] = useState(previousMonth(currentMonth()));
  const close = useCloseMonth();
  const submit = () =>
    void mutateThen(close, org.id ? { month, org: org.id } : { month }, {
      onSuccess: ({ issued, skipped }) => {
        notifications.show({
          color: issued.length > 0 ? 'teal' : 'gray',
          title: `${monthName(month)}: ${plural(issued.length, 'statement')} issued`,
          message:
            [
              issued.map((s) => `${s.number} to ${s.org.name} (${usd(s.total)})`).join(', '),
              skipped.length > 0 ? `${plural(skipped.length, 'organization')} skipped.` : '',
            ]
              .filter(Boolean)
              .join(' ') || 'Nothing to bill.',
        });
        onClose();
      },
    });
  return (
    <Modal opened={opened} onClose={onClose} title="Close month">
      <Stack>
        <Text size="sm">
          Issues one numbered statement per organization with revenue in the month
          {org.name ? ` (here: ${org.name} only)` : ''}, carrying any pending adjustments. Issued statements
          never change: later corrections go on the next statement.
        </Text>
        <Select
          label="Month"
          data={closableMonths().map((value) => ({ value, label: monthName(value) }))}
          value={month}
          onChange={(value) => value && setMonth(value)}
          allowDeselect={false}
        />
        {close.isError && (
          <Alert color="red" title="Could not close the month">
            {close.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={submit} loading={close.isPending}>
            Close {monthName(month)}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function VoidModal({ statement, onClose }: { statement: StatementSummary | null; onClose(): void }) {
  const [reason, setReason] = useState('');
  const voiding = useVoidStatement();
  const submit = () =>
    statement &&
    void mutateThen(
      voiding,
      { number: statement.number, reason },
      {
        onSuccess: (credit) => {
          notifications.show({
            color: 'teal',
            title: `${statement.number} voided`,
            message: `Credit note ${credit.number} issued to ${credit.org.name}.`,
          });
          setReason('');
          onClose();
        },
      },
    );
  return (
    <Modal opened={statement !== null} onClose={onClose} title={`Void ${statement?.number ?? ''}`}>
      <Stack>
        <Text size="sm">
          A credit note negating it is issued, with its own number. Its month can then be closed again for{' '}
          {statement?.org.name}.
        </Text>
        <TextInput
          label="Reason"
          required
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          error={voiding.isError ? voiding.error.message : undefined}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red" onClick={submit} loading={voiding.isPending} disabled={!reason.trim()}>
            Void and issue credit note
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The MSP's statements: close a month, what is pending for the next statements, everything issued. */
export function StatementsPanel({ user, org }: { user: SessionUser; org: SwitcherOrg }) {
  const pending = usePendingAdjustments(org.id);
  const canClose = allows(user, 'statements.manage');
  const [closing, setClosing] = useState(false);
  usePaletteRequest(
    'close-month',
    useCallback(() => setClosing(true), []),
  );
  const [voiding, setVoiding] = useState<StatementSummary | null>(null);

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Numbered statements per organization and month. A PDF shows charges only, as the client receives it.
        </Text>
        {canClose && (
          <Button leftSection={<IconCalendarCheck size={16} />} onClick={() => setClosing(true)}>
            Close month
          </Button>
        )}
      </Group>
      <Paper withBorder p="md">
        <Title order={4} mb="xs">
          Pending adjustments
        </Title>
        <QueryState
          query={pending}
          loadingLabel="Loading pending adjustments"
          errorTitle="Could not load pending adjustments"
          isEmpty={(rows) => rows.length === 0}
          rows={2}
          empty={
            <Text size="sm" c="dimmed">
              No closed month has changed since it was billed.
            </Text>
          }
        >
          {(rows) => <PendingAdjustmentsTable rows={rows} />}
        </QueryState>
      </Paper>
      <Paper withBorder>
        <StatementsList
          orgId={org.id}
          showOrg={!org.id}
          emptyHint={canClose ? 'Close a month to issue the first statements.' : 'None has been issued yet.'}
          onVoid={canClose ? setVoiding : undefined}
        />
      </Paper>
      <CloseMonthModal opened={closing} onClose={() => setClosing(false)} org={org} />
      <VoidModal statement={voiding} onClose={() => setVoiding(null)} />
    </Stack>
  );
}
