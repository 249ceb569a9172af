import { Badge, Group, Select, Text } from '@mantine/core';
import { IconBuilding, IconLock } from '@tabler/icons-react';
import type { SessionUser } from '../../../shared/contract/session';
import { seesAllOrgs } from '../../../shared/domain/permissions';
import { useOrgs } from '../features/orgs/queries';
import { ALL_ORGS, useUiStore } from './ui-store';

/** The org context of every multi-tenant page; a user bound to one org sees it locked. */
export function OrgSwitcher({ user }: { user: SessionUser }) {
  const orgs = useOrgs('');
  const selected = useUiStore((state) => state.orgByUser[user.id] ?? ALL_ORGS);
  const selectOrg = useUiStore((state) => state.selectOrg);

  if (!seesAllOrgs(user.role)) {
    const own = orgs.data?.find((org) => org.id === user.boundOrgId);
    return (
      <Group gap="xs" wrap="nowrap" aria-label="Organization">
        <IconBuilding size={18} aria-hidden />
        <Text fw={500}>{own?.name ?? 'No organization'}</Text>
        <Badge variant="light" color="gray" leftSection={<IconLock size={12} />}>
          Locked
        </Badge>
      </Group>
    );
  }

  const data = [
    { value: ALL_ORGS, label: 'All organizations' },
    ...(orgs.data ?? []).map((org) => ({ value: org.id, label: org.name })),
  ];
  return (
    <Select
      aria-label="Organization"
      w={260}
      data={data}
      value={data.some((item) => item.value === selected) ? selected : ALL_ORGS}
      onChange={(value) => value && selectOrg(user.id, value)}
      searchable
      allowDeselect={false}
      nothingFoundMessage="No organization matches"
      leftSection={<IconBuilding size={16} />}
      comboboxProps={{ shadow: 'md' }}
    />
  );
}
