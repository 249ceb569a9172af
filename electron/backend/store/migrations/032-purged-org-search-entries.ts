import type { Migration } from '../migrate';

export const purgedOrgSearchEntries: Migration = {
  version: 32,
  name: 'search entries of documents that purged orgs took with them are removed',
  sql: `
    -- Purging an org removed its documents by foreign key, but not their search entries (full copies
    -- of title, body and tags, which no trigger removes): the text stayed in the store and its backups.
    -- The purge removes them now (KnowledgeRepo.unindexOrg); these are the ones purges left before.
    DELETE FROM knowledge_fts WHERE rowid NOT IN (SELECT rowid FROM knowledge_docs);
  `,
};
