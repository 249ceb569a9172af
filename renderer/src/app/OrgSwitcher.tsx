import { Badge, Group, Select, Text } from '@mantine/core';
import { IconBuilding, IconLock } from '@tabler/icons-react';
import type { SessionUser } from '../../../shared/contract/session';
import { ALL_ORGS } from './ui-store';
import { useSwitcherOrg } from './use-switcher-org';

/** The org context of every multi-tenant page; a user bound to one org sees it locked. */
export function OrgSwitcher({ user }: { user: SessionUser }) {
  const selection = useSwitcherOrg(user);

  if (selection.locked) {
    return (
      <Group gap="xs" wrap="nowrap" aria-label="Organization">
        <IconBuilding size={18} aria-hidden />
        <Text fw={500}>{selection.name ?? 'No organization'}</Text>
        <Badge variant="light" color="gray" leftSection={<IconLock size={12} />}>
          Locked
        </Badge>
      </Group>
    );
  }

  const data = [
    { value: ALL_ORGS, label: 'All organizations' },
    ...(selection.orgs ?? []).map((org) => ({ value: org.id, label: org.name })),
  ];
  return (
    <Select
      aria-label="Organization"
      w={260}
      data={data}
      value={selection.org?.id ?? ALL_ORGS}
      onChange={(value) => value && selection.select(value)}
      searchable
      allowDeselect={false}
      nothingFoundMessage="No organization matches"
      leftSection={<IconBuilding size={16} />}
      comboboxProps={{ shadow: 'md' }}
    />
  );
}
