import type { PostgresMigration } from '../migrate';

/**
 * Knowledge search finds words whatever their accents, as SQLite's (FTS5's `unicode61
 * remove_diacritics 2`) always has: "resume" finds "Résumé" and "zürich" finds "Zurich". The
 * documents' search column is made again with a configuration that strips accents (PostgreSQL's
 * `unaccent`, a trusted extension the database's owner may create) before the `simple` dictionary.
 */
export const knowledgeSearchUnaccented: PostgresMigration = {
  version: 17,
  name: 'Knowledge search finds words whatever their accents, as on SQLite',
  sql: `
    CREATE EXTENSION IF NOT EXISTS unaccent;
    CREATE TEXT SEARCH CONFIGURATION orgdeck_search (COPY = simple);
    ALTER TEXT SEARCH CONFIGURATION orgdeck_search
      ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part, numword, numhword, hword_numpart
      WITH unaccent, simple;
    ALTER TABLE knowledge_docs DROP COLUMN search;
    ALTER TABLE knowledge_docs ADD COLUMN search tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('orgdeck_search', title), 'A') ||
      setweight(to_tsvector('orgdeck_search', tags), 'B') ||
      setweight(to_tsvector('orgdeck_search', body), 'C')) STORED;
    CREATE INDEX knowledge_docs_search ON knowledge_docs USING gin (search);
  `,
};
