import { Box, Group, Skeleton, Stack } from '@mantine/core';
import { Logo } from '../ui/Logo';
import { PageSkeleton } from '../ui/QueryState';

/** The console's frame in grey while the session is checked: no blank screen, no spinner. */
export function ShellSkeleton() {
  return (
    <Box aria-busy="true" aria-label="Loading Orgdeck">
      <Group
        h={60}
        px="md"
        gap="lg"
        wrap="nowrap"
        style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
      >
        <Logo />
        <Skeleton h={36} w={260} />
      </Group>
      <Group align="flex-start" gap={0} wrap="nowrap">
        <Stack w={232} p="sm" gap="xs" visibleFrom="sm">
          {['a', 'b', 'c', 'd', 'e'].map((key) => (
            <Skeleton key={key} h={32} />
          ))}
        </Stack>
        <Box p="lg" style={{ flex: 1 }}>
          <PageSkeleton />
        </Box>
      </Group>
    </Box>
  );
}
