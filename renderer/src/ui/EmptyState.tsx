import { Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export function EmptyState({
  icon,
  title,
  children,
}: {
  icon: ReactNode;
  title: string;
  children?: ReactNode;
}) {
  return (
    <Stack align="center" gap="xs" py={48} ta="center">
      <ThemeIcon size={48} radius="xl" variant="light" aria-hidden>
        {icon}
      </ThemeIcon>
      <Title order={4}>{title}</Title>
      {children}
    </Stack>
  );
}

export function EmptyHint({ children }: { children: ReactNode }) {
  return (
    <Text c="dimmed" size="sm" maw={420}>
      {children}
    </Text>
  );
}
