import { Button, Group, Loader, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFileImport, IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import type { Org } from '../../../../shared/contract/orgs';
import type { SessionUser } from '../../../../shared/contract/session';
import { AddDocumentModal } from './AddDocumentModal';
import { DocumentDrawer } from './DocumentDrawer';
import { ImportFilesModal } from './ImportFilesModal';
import { KnowledgeLists } from './KnowledgeLists';
import { useKnowledgeSearch } from './queries';
import { SearchResults } from './SearchResults';

/** One org's knowledge base: search, its documents and the shared ones, and adding more. */
export function OrgKnowledge({ org, user }: { org: Org; user: SessionUser }) {
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim(), 250);
  const searching = useKnowledgeSearch(org.id, query).isFetching;
  const [openId, setOpenId] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const open = (doc: { id: string }) => setOpenId(doc.id);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <TextInput
          type="search"
          aria-label="Search knowledge"
          maxLength={200}
          placeholder={`Search ${org.name}’s knowledge`}
          leftSection={<IconSearch size={16} />}
          rightSection={searching ? <Loader size={14} /> : undefined}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          w={380}
          maw="100%"
        />
        <Group gap="sm">
          <Button
            variant="default"
            leftSection={<IconFileImport size={16} />}
            onClick={() => setImporting(true)}
          >
            Import files
          </Button>
          <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
            Add document
          </Button>
        </Group>
      </Group>
      {query ? (
        <SearchResults org={org} query={query} onOpen={open} />
      ) : (
        <KnowledgeLists org={org} onOpen={open} />
      )}
      <DocumentDrawer docId={openId} contextOrg={org} user={user} onClose={() => setOpenId(null)} />
      {adding && <AddDocumentModal org={org} onClose={() => setAdding(false)} />}
      {importing && <ImportFilesModal org={org} onClose={() => setImporting(false)} />}
    </Stack>
  );
}
