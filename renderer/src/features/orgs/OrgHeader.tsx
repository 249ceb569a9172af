import { Badge, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Org } from '../../../../shared/contract/orgs';
import { OrgStatusBadge } from './OrgStatusBadge';

export function OrgHeader({ org, actions }: { org: Org; actions: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
      <Stack gap={4} miw={0}>
        <Group gap="sm" wrap="wrap">
          <Title order={2} style={{ overflowWrap: 'anywhere' }}>
            {org.name}
          </Title>
          <OrgStatusBadge status={org.status} />
          {org.isOwner && <Badge variant="light">Owner organization</Badge>}
        </Group>
        <Text ff="monospace" size="sm" c="dimmed">
          {org.slug}
        </Text>
      </Stack>
      <Group gap="sm">{actions}</Group>
    </Group>
  );
}
