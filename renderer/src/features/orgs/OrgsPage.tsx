import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBuildingCommunity, IconFileImport, IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import type { Org } from '../../../../shared/contract/orgs';
import type { SessionUser } from '../../../../shared/contract/session';
import { formatCount, plural } from '../../../../shared/domain/counts';
import { allows, seesAllOrgs } from '../../../../shared/domain/permissions';
import { usePaletteRequest } from '../../app/palette-requests';
import { navigate, paths } from '../../app/routes';
import { useUrlSearch, useUrlState } from '../../app/use-url-state';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { QueryState } from '../../ui/QueryState';
import { CreateOrgModal } from './CreateOrgModal';
import { ImportOrgModal } from './ImportOrgModal';
import { isStatusFilter, OrgStatusFilter } from './OrgStatusFilter';
import { OrgsTable } from './OrgsTable';
import { type StatusFilter, useOrgs } from './queries';
import { RenameOrgModal } from './RenameOrgModal';

const UNBOUND = {
  title: 'No organization',
  hint: 'Your account is not bound to an organization yet. Ask an owner or admin to bind it.',
};

const NONE_WITH_STATUS: Record<StatusFilter, { title: string; hint: string }> = {
  current: { title: 'No organizations yet', hint: 'Create the first client organization.' },
  active: { title: 'No active organizations', hint: 'Every organization is inactive or deleted.' },
  inactive: {
    title: 'No inactive organizations',
    hint: 'An organization you deactivate shows here until you activate it again.',
  },
  deleted: {
    title: 'No deleted organizations',
    hint: 'A deleted organization shows here for 30 days, while it can still be restored.',
  },
};

export function OrgsPage({ user }: { user: SessionUser }) {
  const canManage = allows(user, 'orgs.manage');
  const [params, update] = useUrlState();
  const { text: search, setText: setSearch, search: debounced } = useUrlSearch(200);
  const statusParam = params.get('status');
  const status: StatusFilter = isStatusFilter(statusParam) ? statusParam : 'current';
  const setStatus = (next: StatusFilter) => update({ status: next === 'current' ? null : next });
  const orgs = useOrgs(debounced, status);
  const none = !canManage && status === 'current' ? UNBOUND : NONE_WITH_STATUS[status];
  const [creating, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  usePaletteRequest('new-org', openCreate);
  const [importing, { open: openImport, close: closeImport }] = useDisclosure(false);
  const [renaming, setRenaming] = useState<Org | null>(null);
  const clients = orgs.data?.filter((org) => !org.isOwner) ?? [];

  return (
    <Stack gap="lg" maw={1100}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Organizations</Title>
          <Text c="dimmed" size="sm">
            {orgs.data
              ? `${formatCount(orgs.data.length)} shown · ${plural(clients.length, 'client organization')}`
              : 'Your client organizations'}
          </Text>
        </div>
        {canManage && (
          <Group gap="sm">
            <Button variant="default" leftSection={<IconFileImport size={16} />} onClick={openImport}>
              Import org
            </Button>
            <Button leftSection={<IconPlus size={16} />} onClick={openCreate}>
              New organization
            </Button>
          </Group>
        )}
      </Group>
      <Group justify="space-between" gap="sm">
        <TextInput
          placeholder="Search by name or slug"
          aria-label="Search organizations"
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          w={360}
          maw="100%"
        />
        <OrgStatusFilter value={status} onChange={setStatus} withDeleted={seesAllOrgs(user.role)} />
      </Group>
      <Paper withBorder p={0}>
        <QueryState
          query={orgs}
          loadingLabel="Loading organizations"
          errorTitle="Could not load organizations"
          rows={3}
          isEmpty={(data) => data.length === 0}
          empty={
            <EmptyState
              icon={<IconBuildingCommunity size={24} />}
              title={debounced ? 'No match' : none.title}
            >
              <EmptyHint>
                {debounced ? `No organization's name or slug contains “${debounced}”.` : none.hint}
              </EmptyHint>
            </EmptyState>
          }
        >
          {(list) => (
            <>
              <OrgsTable
                orgs={list}
                onOpen={(org) => navigate(paths.org(org.slug))}
                onRename={canManage ? setRenaming : undefined}
              />
              {canManage && clients.length === 0 && !debounced && status === 'current' && (
                <EmptyState icon={<IconBuildingCommunity size={24} />} title="No client organizations yet">
                  <EmptyHint>
                    Each client you run agents for gets its own organization, with its own agents, knowledge
                    and billing.
                  </EmptyHint>
                  <Button mt="xs" variant="light" leftSection={<IconPlus size={16} />} onClick={openCreate}>
                    Create a client organization
                  </Button>
                </EmptyState>
              )}
            </>
          )}
        </QueryState>
      </Paper>
      {canManage && <CreateOrgModal opened={creating} onClose={closeCreate} />}
      {canManage && <ImportOrgModal opened={importing} onClose={closeImport} />}
      {renaming && <RenameOrgModal key={renaming.id} org={renaming} onClose={() => setRenaming(null)} />}
    </Stack>
  );
}
