import { Badge, Group, Select, Text } from '@mantine/core';
import { IconBuilding, IconLock } from '@tabler/icons-react';
import type { SessionUser } from '../../../shared/contract/session';
import { seesAllOrgs } from '../../../shared/domain/permissions';
import { ALL_ORGS } from './ui-store';
import { useSwitcherOrg } from './use-switcher-org';

/**
 * The org context of every multi-tenant page. Console roles pick any org or all; a user picks
 * among exactly the orgs they hold, and one holding a single org sees it locked.
 */
export function OrgSwitcher({ user }: { user: SessionUser }) {
  const selection = useSwitcherOrg(user);
  const all = seesAllOrgs(user.role);

  if (selection.locked) {
    return (
      <Group gap="xs" wrap="nowrap" role="group" aria-label="Organization">
        <IconBuilding size={18} aria-hidden />
        <Text fw={500}>{selection.name ?? 'No organization'}</Text>
        <Badge variant="light" color="gray" leftSection={<IconLock size={12} />}>
          Locked
        </Badge>
      </Group>
    );
  }

  const data = [
    ...(all ? [{ value: ALL_ORGS, label: 'All organizations' }] : []),
    ...(selection.orgs ?? []).map((org) => ({ value: org.id, label: org.name })),
  ];
  return (
    <Select
      aria-label="Organization"
      w={260}
      data={data}
      value={selection.org?.id ?? (all ? ALL_ORGS : null)}
      onChange={(value) => value && selection.select(value)}
      searchable
      allowDeselect={false}
      nothingFoundMessage="No organization matches"
      leftSection={<IconBuilding size={16} />}
      comboboxProps={{ shadow: 'md' }}
    />
  );
}
