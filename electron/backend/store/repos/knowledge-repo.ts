import type { Db } from '../engine';

export interface DocRow {
  id: string;
  org_id: string;
  title: string;
  body: string;
  source_name: string;
  tags: string;
  size: number;
  author_id: string | null;
  author_label: string;
  shared_with_all: 0 | 1;
  created_at: string;
  updated_at: string;
}

/** A document as listed: without its body, with its org and the orgs it is shared with (JSON). */
export type DocView = Omit<DocRow, 'body'> & {
  org_slug: string;
  org_name: string;
  is_owner_org: 0 | 1;
  shares: string;
};

export interface SearchHit {
  id: string;
  title: string;
  snippet: string;
}

const VIEW = `SELECT d.id, d.org_id, d.title, d.source_name, d.tags, d.size, d.author_id, d.author_label,
    d.shared_with_all, d.created_at, d.updated_at, o.slug AS org_slug, o.name AS org_name, o.is_owner AS is_owner_org,
    (SELECT json_group_array(json_object('id', so.id, 'slug', so.slug, 'name', so.name))
       FROM knowledge_shares s JOIN orgs so ON so.id = s.org_id WHERE s.doc_id = d.id) AS shares
  FROM knowledge_docs d JOIN orgs o ON o.id = d.org_id`;

/** Shared with `:org` from the owner org: with every client org, or with this one by name. */
const SHARED_WITH = `(o.is_owner = 1 AND d.org_id <> :org AND (d.shared_with_all = 1
  OR EXISTS (SELECT 1 FROM knowledge_shares s WHERE s.doc_id = d.id AND s.org_id = :org)))`;

/** The FTS token naming an org in the reach column (ids without their dashes). */
export const reachToken = (prefix: 'o' | 's', orgId: string) => `${prefix}${orgId.replaceAll('-', '')}`;

export function createKnowledgeRepo(db: Db) {
  const own = db.prepare<{ org: string }, DocView>(
    `${VIEW} WHERE d.org_id = :org ORDER BY d.title COLLATE NOCASE`,
  );
  const shared = db.prepare<{ org: string }, DocView>(
    `${VIEW} WHERE ${SHARED_WITH} ORDER BY d.title COLLATE NOCASE`,
  );
  const sharedAny = db.prepare<[], DocView>(
    `${VIEW} WHERE o.is_owner = 1 AND (d.shared_with_all = 1 OR EXISTS (SELECT 1 FROM knowledge_shares s WHERE s.doc_id = d.id))
     ORDER BY d.title COLLATE NOCASE`,
  );
  const view = db.prepare<{ id: string }, DocView>(`${VIEW} WHERE d.id = :id`);
  const row = db.prepare<{ id: string }, DocRow & { rowid: number }>(
    'SELECT rowid, * FROM knowledge_docs WHERE id = :id',
  );
  const visibleTo = db.prepare<{ id: string; org: string }, { id: string }>(
    `SELECT d.id FROM knowledge_docs d JOIN orgs o ON o.id = d.org_id WHERE d.id = :id AND (d.org_id = :org OR ${SHARED_WITH})`,
  );
  const counts = db.prepare<[], { org_id: string; n: number }>(
    'SELECT org_id, count(*) AS n FROM knowledge_docs GROUP BY org_id',
  );
  const insert = db.prepare<DocRow>(
    `INSERT INTO knowledge_docs (id, org_id, title, body, source_name, tags, size, author_id, author_label, shared_with_all, created_at, updated_at)
     VALUES (:id, :org_id, :title, :body, :source_name, :tags, :size, :author_id, :author_label, :shared_with_all, :created_at, :updated_at)`,
  );
  const update = db.prepare<
    Pick<DocRow, 'id' | 'org_id' | 'title' | 'body' | 'tags' | 'size' | 'shared_with_all' | 'updated_at'>
  >(
    `UPDATE knowledge_docs SET org_id = :org_id, title = :title, body = :body, tags = :tags, size = :size,
       shared_with_all = :shared_with_all, updated_at = :updated_at WHERE id = :id`,
  );
  const remove = db.prepare<{ id: string }>('DELETE FROM knowledge_docs WHERE id = :id');
  const addShare = db.prepare<{ doc: string; org: string }>(
    'INSERT OR IGNORE INTO knowledge_shares (doc_id, org_id) VALUES (:doc, :org)',
  );
  const dropShare = db.prepare<{ doc: string; org: string }>(
    'DELETE FROM knowledge_shares WHERE doc_id = :doc AND org_id = :org',
  );
  const dropShares = db.prepare<{ doc: string }>('DELETE FROM knowledge_shares WHERE doc_id = :doc');
  const shareOrgs = db.prepare<{ doc: string }, { org_id: string }>(
    'SELECT org_id FROM knowledge_shares WHERE doc_id = :doc',
  );
  const ftsDelete = db.prepare<{ rowid: number }>('DELETE FROM knowledge_fts WHERE rowid = :rowid');
  const ftsInsert = db.prepare<{ rowid: number; title: string; body: string; tags: string; reach: string }>(
    'INSERT INTO knowledge_fts (rowid, title, body, tags, reach) VALUES (:rowid, :title, :body, :tags, :reach)',
  );
  const search = db.prepare<{ match: string; limit: number }, SearchHit>(
    `SELECT d.id, highlight(knowledge_fts, 0, char(2), char(3)) AS title,
            snippet(knowledge_fts, 1, char(2), char(3), '…', 24) AS snippet
     FROM knowledge_fts JOIN knowledge_docs d ON d.rowid = knowledge_fts.rowid
     WHERE knowledge_fts MATCH :match ORDER BY bm25(knowledge_fts, 4.0, 1.0, 2.0, 0.0) LIMIT :limit`,
  );

  return {
    own: (orgId: string) => own.all({ org: orgId }),
    sharedWith: (orgId: string) => shared.all({ org: orgId }),
    sharedAny: () => sharedAny.all(),
    view: (id: string) => view.get({ id }),
    row: (id: string) => row.get({ id }),
    isVisibleTo: (id: string, orgId: string) => visibleTo.get({ id, org: orgId }) !== undefined,
    counts: () => counts.all(),
    insert: (doc: DocRow) => void insert.run(doc),
    update: (doc: DocRow) => void update.run(doc),
    remove: (id: string) => void remove.run({ id }),
    addShare: (docId: string, orgId: string) => void addShare.run({ doc: docId, org: orgId }),
    dropShare: (docId: string, orgId: string) => void dropShare.run({ doc: docId, org: orgId }),
    dropShares: (docId: string) => void dropShares.run({ doc: docId }),
    shareOrgs: (docId: string) => shareOrgs.all({ doc: docId }).map((r) => r.org_id),
    /** Rewrites a document's search entry, with the reach tokens of who may find it. */
    index(rowid: number, doc: Pick<DocRow, 'title' | 'body' | 'tags'>, reach: string[]): void {
      ftsDelete.run({ rowid });
      ftsInsert.run({
        rowid,
        title: doc.title,
        body: doc.body,
        tags: (JSON.parse(doc.tags) as string[]).join(' '),
        reach: reach.join(' '),
      });
    },
    unindex: (rowid: number) => void ftsDelete.run({ rowid }),
    search: (match: string, limit: number) => search.all({ match, limit }),
  };
}

export type KnowledgeRepo = ReturnType<typeof createKnowledgeRepo>;
