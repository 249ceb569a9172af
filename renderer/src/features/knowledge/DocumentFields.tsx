import { TagsInput, Textarea, TextInput } from '@mantine/core';
import type { ChangeEvent } from 'react';

interface TextProps {
  value: string;
  error?: string;
  onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => void;
}

/** Title, tags and text: what adding and editing a document share. `hints` explains them, for a new one. */
export function DocumentFields({
  title,
  tags,
  body,
  hints,
}: {
  title: TextProps;
  tags: { value: string[]; error?: string; onChange: (tags: string[]) => void };
  body: TextProps;
  hints: boolean;
}) {
  return (
    <>
      <TextInput label="Title" data-autofocus {...title} />
      <TagsInput
        label="Tags"
        description={hints ? 'Press Enter after each tag.' : undefined}
        clearable
        {...tags}
      />
      <Textarea
        label="Text"
        description={
          hints
            ? 'Markdown or plain text. Agents of this organization can read it, and search finds it.'
            : undefined
        }
        autosize
        minRows={hints ? 10 : 12}
        maxRows={hints ? 20 : 28}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        {...body}
      />
    </>
  );
}
