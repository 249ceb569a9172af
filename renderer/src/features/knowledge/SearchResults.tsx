import { Badge, Group, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { IconSearchOff } from '@tabler/icons-react';
import type { KnowledgeDoc } from '../../../../shared/contract/knowledge';
import { plural } from '../../../../shared/domain/counts';
import { EmptyHint, EmptyState } from '../../ui/EmptyState';
import { ErrorState } from '../../ui/ErrorState';
import { LocalTime } from '../../ui/time';
import { DocTitle } from './DocTitle';
import { MarkedText } from './MarkedText';
import { SEARCH_LIMIT, useKnowledgeSearch } from './queries';

/**
 * Ranked matches among an org's documents and those shared with it, best first; with org null,
 * among every org's the session sees, each hit naming its org.
 */
export function SearchResults({
  org,
  query,
  onOpen,
}: {
  org: { id: string; name: string } | null;
  query: string;
  onOpen: (doc: KnowledgeDoc) => void;
}) {
  const hits = useKnowledgeSearch(org?.id ?? null, query);

  // The last search's hits stay while the next loads; its "no match" would name the wrong words.
  if (hits.isPending || (hits.isPlaceholderData && hits.data.length === 0)) {
    return (
      <Stack gap="sm" aria-busy="true" aria-label="Searching">
        {[0, 1, 2].map((row) => (
          <Skeleton key={row} h={72} />
        ))}
      </Stack>
    );
  }
  if (hits.isError) {
    return <ErrorState title="Could not search" error={hits.error} onRetry={() => void hits.refetch()} />;
  }
  if (hits.data.length === 0) {
    return (
      <Paper withBorder>
        <EmptyState icon={<IconSearchOff size={24} />} title="No match">
          <EmptyHint>
            {org
              ? `Nothing in ${org.name}’s documents, or in those shared with it, matches “${query}”.`
              : `Nothing in the documents of the organizations you see matches “${query}”.`}
          </EmptyHint>
        </EmptyState>
      </Paper>
    );
  }
  const count = hits.data.length;
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed" aria-live="polite">
        {plural(count, 'match', 'matches')}
        {count === SEARCH_LIMIT ? ' (the best ones; narrow the search to see others)' : ', best first'}
      </Text>
      <Stack gap="sm" role="list" aria-label="Search results">
        {hits.data.map((hit) => (
          <Paper key={hit.doc.id} withBorder p="sm" role="listitem">
            <Stack gap={6}>
              <Group justify="space-between" align="flex-start" wrap="nowrap">
                <DocTitle
                  title={<MarkedText text={hit.title} />}
                  tags={hit.doc.tags}
                  onOpen={() => onOpen(hit.doc)}
                />
                <Group gap="xs" wrap="nowrap">
                  {hit.shared ? (
                    <Badge size="sm" variant="light" color="grape" tt="none">
                      Shared from {hit.doc.org.name}
                    </Badge>
                  ) : (
                    !org && (
                      <Badge size="sm" variant="light" color="gray" tt="none">
                        {hit.doc.org.name}
                      </Badge>
                    )
                  )}
                  <LocalTime iso={hit.doc.updatedAt} dateOnly />
                </Group>
              </Group>
              <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-line' }}>
                <MarkedText text={hit.snippet} />
              </Text>
            </Stack>
          </Paper>
        ))}
      </Stack>
    </Stack>
  );
}
