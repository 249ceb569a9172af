import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/backend/store/migrate';
import { MIGRATIONS } from '../../../electron/backend/store/migrations';
import { purgedOrgSearchEntries } from '../../../electron/backend/store/migrations/032-purged-org-search-entries';
import { insertOrg, storesAtVersion } from '../../fixtures/migration-stores';

const VERSION = purgedOrgSearchEntries.version;
const ORG = '00000000-0000-4000-8000-0000000000c1';
const storeAt = storesAtVersion('orgdeck-purged-search-');
const entries = (db: ReturnType<typeof storeAt>) =>
  db.prepare('SELECT title FROM knowledge_fts ORDER BY rowid').pluck().all();

describe(`migration ${VERSION} (${purgedOrgSearchEntries.name})`, () => {
  it('from an empty file: nothing to remove', () => {
    const db = storeAt('empty.db', VERSION);
    expect(schemaVersion(db)).toBe(VERSION);
    expect(entries(db)).toEqual([]);
  });

  it(`from version ${VERSION - 1}: a purged org's entries go, a live document's stay`, () => {
    const db = storeAt('old.db', VERSION - 1);
    insertOrg(db, ORG);
    db.exec(`
      INSERT INTO knowledge_docs (id, org_id, title, body, tags, size, author_label, created_at, updated_at)
        VALUES ('doc-kept', '${ORG}', 'Kept', 'kept words', '[]', 10, 'Ann',
                '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
      INSERT INTO knowledge_fts (rowid, title, body, tags, reach)
        SELECT rowid, title, body, '', 'o1' FROM knowledge_docs;
      -- What a purge left before: an entry whose document is gone.
      INSERT INTO knowledge_fts (rowid, title, body, tags, reach) VALUES (9999, 'Purged', 'purged words', '', 'o2');
    `);
    expect(entries(db)).toEqual(['Kept', 'Purged']);
    migrate(db, MIGRATIONS, VERSION);
    expect(entries(db)).toEqual(['Kept']);
  });
});
