import { Loader, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import type { Org } from '../../../../shared/contract/orgs';
import type { SessionUser } from '../../../../shared/contract/session';
import { DocumentDrawer } from './DocumentDrawer';
import { KnowledgeOverview } from './KnowledgeOverview';
import { useKnowledgeSearch } from './queries';
import { SearchResults } from './SearchResults';

/**
 * With every org in the switcher: a search across the knowledge of every org the session sees (the
 * server keeps to those), each hit naming its org; the overview while nothing is typed.
 */
export function AllOrgsKnowledge({ user, orgs }: { user: SessionUser; orgs: Org[] }) {
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim(), 250);
  const searching = useKnowledgeSearch(null, query).isFetching;
  const [opened, setOpened] = useState<{ id: string; orgId: string } | null>(null);
  const contextOrg = orgs.find((org) => org.id === opened?.orgId);

  return (
    <Stack gap="lg">
      <TextInput
        type="search"
        aria-label="Search knowledge of every organization"
        maxLength={200}
        placeholder="Search every organization’s knowledge"
        leftSection={<IconSearch size={16} />}
        rightSection={searching ? <Loader size={14} /> : undefined}
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
        w={420}
        maw="100%"
      />
      {query ? (
        <SearchResults
          org={null}
          query={query}
          onOpen={(doc) => setOpened({ id: doc.id, orgId: doc.org.id })}
        />
      ) : (
        <KnowledgeOverview user={user} />
      )}
      {contextOrg && (
        <DocumentDrawer
          docId={opened?.id ?? null}
          contextOrg={contextOrg}
          user={user}
          onClose={() => setOpened(null)}
        />
      )}
    </Stack>
  );
}
