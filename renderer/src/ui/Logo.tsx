import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconStack2 } from '@tabler/icons-react';

export function Logo() {
  return (
    <Group gap={8} wrap="nowrap">
      <ThemeIcon size={28} radius="md" variant="filled" aria-hidden>
        <IconStack2 size={18} />
      </ThemeIcon>
      <Text fw={700} size="lg">
        Orgdeck
      </Text>
    </Group>
  );
}
