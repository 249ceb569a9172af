import { Badge, Group, SimpleGrid, Text } from '@mantine/core';
import type { KnowledgeDoc } from '../../../../shared/contract/knowledge';
import { kb } from '../../ui/bytes';
import { Fact } from '../../ui/Fact';
import { LocalTime } from '../../ui/time';
import { sharingLabel } from './sharing';

const dimmed = (text: string) => (
  <Text size="sm" c="dimmed">
    {text}
  </Text>
);

/** Where a document belongs and comes from, its size, who wrote it and when, and who it is shared with. */
export function DocumentFacts({ doc }: { doc: KnowledgeDoc }) {
  return (
    <SimpleGrid cols={3} spacing="md" verticalSpacing="sm" role="group" aria-label="About the document">
      <Fact label="Organization">
        <Text size="sm">{doc.org.name}</Text>
      </Fact>
      <Fact label="Source file">
        {doc.sourceName ? (
          <Text size="sm" ff="monospace">
            {doc.sourceName}
          </Text>
        ) : (
          dimmed('Written in the console')
        )}
      </Fact>
      <Fact label="Size">
        <Text size="sm">{kb(doc.size)}</Text>
      </Fact>
      <Fact label="Author">{doc.author ? <Text size="sm">{doc.author}</Text> : dimmed('—')}</Fact>
      <Fact label="Created">
        <LocalTime iso={doc.createdAt} />
      </Fact>
      <Fact label="Updated">
        <LocalTime iso={doc.updatedAt} />
      </Fact>
      <Fact label="Tags">
        {doc.tags.length > 0 ? (
          <Group gap={4}>
            {doc.tags.map((tag) => (
              <Badge key={tag} size="sm" variant="outline" color="gray" tt="none">
                {tag}
              </Badge>
            ))}
          </Group>
        ) : (
          dimmed('None')
        )}
      </Fact>
      {doc.sharing && (
        <Fact label="Shared with">
          <Text size="sm">{sharingLabel(doc.sharing)}</Text>
        </Fact>
      )}
    </SimpleGrid>
  );
}
