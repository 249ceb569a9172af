import { Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** One labelled fact of a detail view: a small caps label above its value. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <div>{children}</div>
    </Stack>
  );
}
