import { Anchor, Badge, Paper, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconCheck, IconMinus } from '@tabler/icons-react';
import type { ChannelOutput } from '../../../../shared/contract';
import { plural } from '../../../../shared/domain/counts';
import { POLICY_KINDS } from '../../../../shared/domain/policies';
import { HoverTooltip } from '../../ui/HoverTooltip';
import { QueryState } from '../../ui/QueryState';
import { SortableTh, type SortValue, sortRows, useTableSort } from '../../ui/SortableTable';
import { KINDS, type PolicyKind } from './policy-kinds';
import { usePolicyCoverage } from './queries';

type Coverage = ChannelOutput<'policies.coverage'>;
type OrgCoverage = Coverage[number];

const COLUMNS = ['org', ...POLICY_KINDS] as const;
type Column = (typeof COLUMNS)[number];
/** A kind's cell as a rank: missing, then switched off, then on (more policies on, higher). */
const coverageRank = (org: OrgCoverage, kind: PolicyKind) => {
  const entry = org.kinds.find((candidate) => candidate.kind === kind);
  if (!entry) return 0;
  return entry.enabled > 0 ? 1 + entry.enabled : entry.disabled > 0 ? 1 : 0;
};
const VALUES = {
  org: (org: OrgCoverage) => org.name,
  ...Object.fromEntries(POLICY_KINDS.map((kind) => [kind, (org: OrgCoverage) => coverageRank(org, kind)])),
} as Record<Column, (org: OrgCoverage) => SortValue>;

/** The kinds a client is expected to have: their absence is called out, not just shown. */
const EXPECTED: readonly PolicyKind[] = ['pii_redaction', 'spend_limit'];

function Cell({ kind, enabled, disabled }: { kind: PolicyKind; enabled: number; disabled: number }) {
  if (enabled > 0)
    return (
      <Badge color="teal" variant="light" leftSection={<IconCheck size={12} aria-hidden />}>
        {enabled === 1 ? 'On' : `${enabled} on`}
      </Badge>
    );
  if (disabled > 0)
    return (
      <HoverTooltip label={`${plural(disabled, 'policy', 'policies')} of this kind, switched off`}>
        <Badge color="yellow" variant="light">
          Off
        </Badge>
      </HoverTooltip>
    );
  return EXPECTED.includes(kind) ? (
    <Badge color="red" variant="light">
      Missing
    </Badge>
  ) : (
    <Text span c="dimmed" size="sm">
      <IconMinus size={14} aria-hidden />
      <VisuallyHidden>None</VisuallyHidden>
    </Text>
  );
}

/** "2 clients lack PII redaction; 1 lacks a spend limit." */
function gaps(coverage: Coverage): string {
  const lacking = EXPECTED.map((kind) => {
    const count = coverage.filter((org) =>
      org.kinds.some((entry) => entry.kind === kind && entry.enabled === 0),
    ).length;
    return { kind, count };
  }).filter(({ count }) => count > 0);
  if (lacking.length === 0) return 'Every client has PII redaction and a spend limit switched on.';
  return `${lacking
    .map(
      ({ kind, count }) =>
        `${plural(count, 'client')} ${count === 1 ? 'lacks' : 'lack'} ${kind === 'spend_limit' ? 'a spend limit' : 'PII redaction'}`,
    )
    .join('; ')} switched on.`;
}

/** Client orgs × policy kinds: which clients lack which guardrail. A row opens that org's policies. */
export function CoverageMatrix({ onOpen }: { onOpen: (orgId: string) => void }) {
  const coverage = usePolicyCoverage(true);
  // A kind's column sorts the gaps first: the clients that lack it are what the matrix is for.
  const { sort, onSort } = useTableSort<Column>('coverage', COLUMNS, { column: 'org', direction: 'asc' });
  const th = { sort, onSort };
  return (
    <Paper withBorder>
      <QueryState
        query={coverage}
        loadingLabel="Loading guardrail coverage"
        errorTitle="Could not load the guardrail coverage"
        isEmpty={(data) => data.length === 0}
        empty={
          <Text p="md" c="dimmed" size="sm">
            No client organizations yet.
          </Text>
        }
      >
        {(data) => (
          <>
            <Text p="md" pb={0} size="sm" fw={500}>
              {gaps(data)}
            </Text>
            <Table.ScrollContainer minWidth={0}>
              <Table aria-label="Guardrail coverage" verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <SortableTh column="org" label="Organization" {...th} />
                    {POLICY_KINDS.map((kind) => (
                      <SortableTh key={kind} column={kind} label={KINDS[kind].label} {...th} />
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {sortRows(data, sort, VALUES).map((org) => (
                    <Table.Tr key={org.id}>
                      <Table.Td>
                        <Anchor
                          component="button"
                          type="button"
                          size="sm"
                          fw={500}
                          onClick={() => onOpen(org.id)}
                        >
                          {org.name}
                        </Anchor>
                      </Table.Td>
                      {org.kinds.map((entry) => (
                        <Table.Td key={entry.kind}>
                          <Cell {...entry} />
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
      </QueryState>
    </Paper>
  );
}
