import type { Migration } from '../migrate';

export const knowledge: Migration = {
  version: 5,
  name: 'knowledge bases, sharing from the owner org, full-text search',
  sql: `
    CREATE TABLE knowledge_docs (
      id              TEXT NOT NULL UNIQUE,
      org_id          TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
      title           TEXT NOT NULL,
      body            TEXT NOT NULL,
      source_name     TEXT NOT NULL DEFAULT '',
      tags            TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
      size            INTEGER NOT NULL,
      author_id       TEXT,
      author_label    TEXT NOT NULL,
      shared_with_all INTEGER NOT NULL DEFAULT 0 CHECK (shared_with_all IN (0, 1)),
      created_at      TEXT NOT NULL,
      updated_at      TEXT NOT NULL
    ) STRICT;
    CREATE INDEX knowledge_docs_org ON knowledge_docs (org_id, title COLLATE NOCASE);

    -- Owner-org documents shared with chosen orgs (shared_with_all covers every client org).
    CREATE TABLE knowledge_shares (
      doc_id TEXT NOT NULL REFERENCES knowledge_docs (id) ON DELETE CASCADE,
      org_id TEXT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
      PRIMARY KEY (doc_id, org_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX knowledge_shares_org ON knowledge_shares (org_id);

    -- reach holds the tokens of who may find a document: o<org> for its own org, sall or s<org> when
    -- shared, so a search is one MATCH that the index itself narrows to what the org may see.
    CREATE VIRTUAL TABLE knowledge_fts USING fts5 (
      title, body, tags, reach,
      tokenize = 'unicode61 remove_diacritics 2'
    );
  `,
};
