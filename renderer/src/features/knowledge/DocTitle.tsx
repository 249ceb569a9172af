import { Badge, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import type { ReactNode } from 'react';

/** A document's title as the button that opens it (so the keyboard reaches it), with its tags under it. */
export function DocTitle({ title, tags, onOpen }: { title: ReactNode; tags: string[]; onOpen: () => void }) {
  return (
    <Stack gap={4} align="flex-start">
      <UnstyledButton onClick={onOpen} title="Open the document">
        <Text size="sm" fw={500}>
          {title}
        </Text>
      </UnstyledButton>
      {tags.length > 0 && (
        <Group gap={4}>
          {tags.map((tag) => (
            <Badge key={tag} size="xs" variant="outline" color="gray" tt="none">
              {tag}
            </Badge>
          ))}
        </Group>
      )}
    </Stack>
  );
}
