import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useEffect } from 'react';
import type { SessionUser } from '../../../../shared/contract/session';
import { formatCount, plural } from '../../../../shared/domain/counts';
import { allows } from '../../../../shared/domain/permissions';
import { useSwitcherOrg } from '../../app/use-switcher-org';
import { useUrlState } from '../../app/use-url-state';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { type FormSchemas, useFormSchemas } from '../../ui/load-form-schemas';
import { Pages } from '../../ui/Pages';
import { QueryState } from '../../ui/QueryState';
import { viewerZone } from '../../ui/viewer-zone';
import { AuditExportMenu } from './AuditExportMenu';
import { AuditFilterBar } from './AuditFilterBar';
import { AuditTable } from './AuditTable';
import { type AuditFilters, filtersPatch, isFiltered, listInput, parseFilters } from './audit-filters';
import { ChainStatus } from './ChainStatus';
import { AUDIT_PAGE_SIZE, type AuditListInput, useAuditActions, useAuditEntries } from './queries';
import { useAuditSort } from './use-audit-sort';
import { useOrgLabels } from './use-org-labels';

/** The contract's own messages for filters it would refuse, and a range that ends before it starts. */
function filterProblems(
  { contract }: FormSchemas,
  input: AuditListInput,
  filters: AuditFilters,
): Record<string, string> {
  const problems: Record<string, string> = {};
  const parsed = contract['audit.list'].input.safeParse(input);
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    problems[field] ??= issue.message;
  }
  if (filters.from && filters.to && filters.to < filters.from)
    problems.to = 'The last day comes before the first';
  return problems;
}

/**
 * Who did what, where and when. Filters live in the address (`query`), so a reload or a link keeps
 * them; a bound user's trail is their org's, whatever the address says.
 */
export function AuditPage({ user, query }: { user: SessionUser; query: string }) {
  const selection = useSwitcherOrg(user);
  const all = !selection.locked;
  const filters = parseFilters(query);
  const [, update] = useUrlState();
  const { sort, onSort } = useAuditSort();
  const orgs = useOrgLabels();
  const actions = useAuditActions();

  // A bound user's address may name an org; their trail is their org's all the same.
  const org = all ? filters.org : undefined;
  const shown = { ...filters, org };
  const dayOrg = all ? org : selection.id;
  const timeZone = (dayOrg && orgs.labels.get(dayOrg)?.timezone) || viewerZone();
  const filterInput = listInput(shown, timeZone, AUDIT_PAGE_SIZE);
  const input = { ...filterInput, sort: sort.column, direction: sort.direction };
  // Only filters can be wrong: an unfiltered trail asks at once, a filtered one once the schemas
  // have checked its filters.
  const filtered = isFiltered(shown);
  const schemas = useFormSchemas(filtered);
  const checking = filtered && !schemas;
  const problems = filtered && schemas ? filterProblems(schemas, input, filters) : {};
  const valid = Object.keys(problems).length === 0;
  // Days count in the org's time zone: wait to know it rather than ask with the viewer's.
  const list = useAuditEntries(input, valid && !checking && !(dayOrg && orgs.pending));

  const go = (next: AuditFilters) => update(filtersPatch(next));
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const page = Math.min(filters.page, pages);

  // An address past the last page (entries filtered away since) shows the last one.
  useEffect(() => {
    if (list.data && !list.isPlaceholderData && list.data.items.length === 0 && filters.page > 1)
      update({ page: pages > 1 ? String(pages) : null });
  }, [list.data, list.isPlaceholderData, filters.page, pages, update]);

  const scope = all
    ? org
      ? (orgs.labels.get(org)?.name ?? 'One organization')
      : 'All organizations'
    : (selection.name ?? 'Your organization');
  // An export reads the whole trail in its own (chain) order, whatever the table's sort.
  const { page: _page, pageSize: _size, ...exportFilter } = filterInput;

  return (
    <Stack gap="lg" maw={1400}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Audit</Title>
          <Text c="dimmed" size="sm" aria-live="polite">
            {scope}
            {list.data ? ` · ${plural(total, 'entry', 'entries')}${filtered ? ' match' : ''}` : ''}
          </Text>
        </div>
        <AuditExportMenu
          disabled={!valid || !list.data || total === 0 || list.isPlaceholderData}
          request={{
            filter: exportFilter,
            orgSlug: org ? orgs.labels.get(org)?.slug : undefined,
            orgName: (id) => orgs.labels.get(id)?.name,
          }}
        />
      </Group>
      {allows(user, 'settings.manage') && <ChainStatus />}
      <AuditFilterBar
        filters={shown}
        errors={problems}
        orgOptions={all ? orgs.options : null}
        lockedOrg={all ? null : scope}
        actions={actions.data ?? []}
        timeZone={timeZone}
        onChange={(patch) => go({ ...filters, ...patch, page: 1 })}
      />
      <Paper withBorder p={0}>
        {!valid ? (
          <EmptyState icon={<IconHistory size={24} />} title="Check the filters">
            <EmptyHint>Fix the filter marked in red to see entries.</EmptyHint>
          </EmptyState>
        ) : (
          <QueryState
            query={list}
            loadingLabel="Loading entries"
            errorTitle="Could not load the audit trail"
            isEmpty={(data) => data.items.length === 0}
            empty={
              <EmptyState
                icon={<IconHistory size={24} />}
                title={filtered ? 'No entries match' : 'No entries yet'}
              >
                <EmptyHint>
                  {filtered
                    ? 'Nothing in the trail matches these filters. Clear them to see more.'
                    : 'Changes made in the console and the CLI are recorded here.'}
                </EmptyHint>
              </EmptyState>
            }
          >
            {(data) => (
              <AuditTable
                entries={data.items}
                orgs={orgs.labels}
                sort={sort}
                onSort={(column) => {
                  onSort(column);
                  update({ page: null });
                }}
              />
            )}
          </QueryState>
        )}
      </Paper>
      {list.data && total > 0 && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {formatCount((page - 1) * AUDIT_PAGE_SIZE + 1)}–
            {formatCount(Math.min(total, page * AUDIT_PAGE_SIZE))} of {formatCount(total)}
          </Text>
          <Pages total={pages} value={page} onChange={(next) => go({ ...filters, page: next })} />
        </Group>
      )}
    </Stack>
  );
}
