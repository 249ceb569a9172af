import { Badge, Group, Select, Text } from '@mantine/core';
import { IconBuilding, IconLock } from '@tabler/icons-react';
import type { SessionUser } from '../../../shared/contract/session';
import { seesAllOrgs } from '../../../shared/domain/permissions';
import { useOrgs } from '../features/orgs/queries';
import { ALL_ORGS, useUiStore } from './ui-store';
import { useSwitcherOrg } from './use-switcher-org';

/**
 * The org context of every multi-tenant page. Console roles pick any org or all; a user picks
 * among exactly the orgs they hold, and one holding a single org sees it locked.
 */
export function OrgSwitcher({ user }: { user: SessionUser }) {
  const orgs = useOrgs('');
  const selected = useUiStore((state) => state.orgByUser[user.id] ?? ALL_ORGS);
  const selectOrg = useUiStore((state) => state.selectOrg);
  const current = useSwitcherOrg(user);
  const all = seesAllOrgs(user.role);

  if (!all && user.memberships.length <= 1) {
    return (
      <Group gap="xs" wrap="nowrap" aria-label="Organization">
        <IconBuilding size={18} aria-hidden />
        <Text fw={500}>{current.name ?? 'No organization'}</Text>
        <Badge variant="light" color="gray" leftSection={<IconLock size={12} />}>
          Locked
        </Badge>
      </Group>
    );
  }

  const data = [
    ...(all ? [{ value: ALL_ORGS, label: 'All organizations' }] : []),
    ...(orgs.data ?? []).map((org) => ({ value: org.id, label: org.name })),
  ];
  const value = all
    ? data.some((item) => item.value === selected)
      ? selected
      : ALL_ORGS
    : (current.id ?? null);
  return (
    <Select
      aria-label="Organization"
      w={260}
      data={data}
      value={value}
      onChange={(next) => next && selectOrg(user.id, next)}
      searchable
      allowDeselect={false}
      nothingFoundMessage="No organization matches"
      leftSection={<IconBuilding size={16} />}
      comboboxProps={{ shadow: 'md' }}
    />
  );
}
