import { type Db, onPostgres } from '../engine';
import { snippetOf } from './knowledge-snippet';

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

/** The orgs a document is shared with, as a JSON array of { id, slug, name } (text on both engines). */
const SHARES = {
  sqlite: "json_group_array(json_object('id', so.id, 'slug', so.slug, 'name', so.name))",
  postgres:
    "coalesce(json_agg(json_build_object('id', so.id, 'slug', so.slug, 'name', so.name))::text, '[]')",
};

const viewOf = (
  db: Db,
) => `SELECT d.id, d.org_id, d.title, d.source_name, d.tags, d.size, d.author_id, d.author_label,
    d.shared_with_all, d.created_at, d.updated_at, o.slug AS org_slug, o.name AS org_name, o.is_owner AS is_owner_org,
    (SELECT ${onPostgres(db) ? SHARES.postgres : SHARES.sqlite}
       FROM knowledge_shares s JOIN orgs so ON so.id = s.org_id WHERE s.doc_id = d.id) AS shares
  FROM knowledge_docs d JOIN orgs o ON o.id = d.org_id`;

/** Shared with `:org` from the owner org: with every client org, or with this one by name. */
const SHARED_WITH = `(o.is_owner = 1 AND d.org_id <> :org AND (d.shared_with_all = 1
  OR EXISTS (SELECT 1 FROM knowledge_shares s WHERE s.doc_id = d.id AND s.org_id = :org)))`;

/** The FTS5 token naming an org in the reach column (ids without their dashes). */
const reachToken = (prefix: 'o' | 's', orgId: string) => `${prefix}${orgId.replaceAll('-', '')}`;

/** Words in a snippet (snippetOf); PostgreSQL's ts_headline counts words the same way. */
const SNIPPET_WORDS = 24;

type Indexed = Pick<DocRow, 'id' | 'title' | 'body' | 'tags'>;

/**
 * Search on SQLite: an FTS5 table whose `reach` column names who may find each document, rewritten
 * whenever a document or its sharing changes (`index`).
 */
function sqliteSearch(db: Db) {
  const rowid = db.prepare<{ id: string }, { rowid: number }>(
    'SELECT rowid FROM knowledge_docs WHERE id = :id',
  );
  const reachOf = db.prepare<{ id: string }, { org_id: string; is_owner: 0 | 1; shared_with_all: 0 | 1 }>(
    'SELECT d.org_id, o.is_owner, d.shared_with_all FROM knowledge_docs d JOIN orgs o ON o.id = d.org_id WHERE d.id = :id',
  );
  const shareOrgs = db.prepare<{ doc: string }, { org_id: string }>(
    'SELECT org_id FROM knowledge_shares WHERE doc_id = :doc',
  );
  const ftsDelete = db.prepare<{ rowid: number }>('DELETE FROM knowledge_fts WHERE rowid = :rowid');
  const ftsDeleteOrg = db.prepare<{ org: string }>(
    'DELETE FROM knowledge_fts WHERE rowid IN (SELECT rowid FROM knowledge_docs WHERE org_id = :org)',
  );
  const ftsInsert = db.prepare<{ rowid: number; title: string; body: string; tags: string; reach: string }>(
    'INSERT INTO knowledge_fts (rowid, title, body, tags, reach) VALUES (:rowid, :title, :body, :tags, :reach)',
  );
  // The body, not snippet(): see snippetOf.
  const search = db.prepare<{ match: string; limit: number }, Omit<SearchHit, 'snippet'> & { body: string }>(
    `SELECT d.id, highlight(knowledge_fts, 0, char(2), char(3)) AS title, d.body
     FROM knowledge_fts JOIN knowledge_docs d ON d.rowid = knowledge_fts.rowid
     WHERE knowledge_fts MATCH :match ORDER BY bm25(knowledge_fts, 4.0, 1.0, 2.0, 0.0) LIMIT :limit`,
  );

  return {
    index(doc: Indexed): void {
      const row = rowid.get({ id: doc.id });
      const reach = reachOf.get({ id: doc.id });
      if (!row || !reach) return;
      // Only owner-org documents are shared.
      const tokens = [reachToken('o', reach.org_id)];
      if (reach.is_owner && reach.shared_with_all) tokens.push('sall');
      if (reach.is_owner)
        for (const share of shareOrgs.all({ doc: doc.id })) tokens.push(reachToken('s', share.org_id));
      ftsDelete.run({ rowid: row.rowid });
      ftsInsert.run({
        rowid: row.rowid,
        title: doc.title,
        body: doc.body,
        tags: (JSON.parse(doc.tags) as string[]).join(' '),
        reach: tokens.join(' '),
      });
    },
    unindex(id: string): void {
      const row = rowid.get({ id });
      if (row) ftsDelete.run({ rowid: row.rowid });
    },
    /** Every document of the org out of search, before the org's purge takes them (no trigger does). */
    unindexOrg(orgId: string): void {
      ftsDeleteOrg.run({ org: orgId });
    },
    search(terms: string[], orgIds: string[], limit: number): SearchHit[] {
      const words = terms.map((term) => `"${term}"*`).join(' ');
      const reach = [...orgIds.flatMap((id) => [reachToken('o', id), reachToken('s', id)]), 'sall']
        .map((token) => `"${token}"`)
        .join(' OR ');
      return search
        .all({ match: `{title body tags} : (${words}) AND reach : (${reach})`, limit })
        .map(({ body, ...hit }) => ({ ...hit, snippet: snippetOf(body, terms, SNIPPET_WORDS) }));
    },
  };
}

/** ts_headline's options: FTS5's markers (MATCH_START, MATCH_END). */
const MARKERS = "'StartSel=' || chr(2) || ', StopSel=' || chr(3)";

/**
 * How much of a document's text either side of its snippet a search ships from PostgreSQL (not the
 * whole body, which may be megabytes per hit): enough to see whether words were left out there.
 */
const CONTEXT_CHARS = 1000;

/** The text around a snippet: up to CONTEXT_CHARS of it, and whether there was more. */
interface SnippetContext {
  before: string;
  beforeCut: boolean;
  after: string;
  afterCut: boolean;
}

/**
 * FTS5's snippet marks words left out at either end with an ellipsis and keeps the punctuation
 * around its words; ts_headline does neither. Text cut off at CONTEXT_CHARS counts as left out.
 */
function ellipsized(snippet: string, context: SnippetContext | null): string {
  if (!context) return snippet;
  const words = /[\p{L}\p{N}]/u;
  const leftOut = (text: string, cut: boolean) => cut || words.test(text);
  return `${leftOut(context.before, context.beforeCut) ? '…' : context.before.trimStart()}${snippet}${
    leftOut(context.after, context.afterCut) ? '…' : context.after.trimEnd()
  }`;
}

/** The text search configuration of the documents' search column: `simple` with accents stripped (PostgreSQL migration 17). */
const SEARCH_CONFIG = 'orgdeck_search';

/**
 * Search on PostgreSQL: the documents' generated `search` column (title A, tags B, body C) and its
 * GIN index, so there is no entry to keep up to date. Who may find a document is asked of the rows:
 * its own org, or (owner-org documents only) every org or the orgs it is shared with, as the
 * SQLite reach tokens say.
 */
function postgresSearch(db: Db) {
  // The snippet's place in the body (0: not found as one run of text), then the text either side of
  // it, at most CONTEXT_CHARS, for `ellipsized`.
  const search = db.prepare<
    { query: string; orgs: string; limit: number },
    SearchHit & { at: number; before: string; before_cut: 0 | 1; after: string; after_cut: 0 | 1 }
  >(
    `SELECT id, title, snippet, at,
            right(left(body, greatest(at - 1, 0)), ${CONTEXT_CHARS}) AS before,
            CASE WHEN at - 1 > ${CONTEXT_CHARS} THEN 1 ELSE 0 END AS before_cut,
            left(substr(body, at + plain_length), ${CONTEXT_CHARS}) AS after,
            CASE WHEN length(body) - (at - 1 + plain_length) > ${CONTEXT_CHARS} THEN 1 ELSE 0 END AS after_cut
     FROM (
       SELECT hit.*, position(plain IN hit.body) AS at, length(plain) AS plain_length
       FROM (
         SELECT d.id, d.body, d.created_at,
                ts_headline('${SEARCH_CONFIG}', d.title, q, ${MARKERS} || ', HighlightAll=true') AS title,
                ts_headline('${SEARCH_CONFIG}', d.body, q,
                  ${MARKERS} || ', MaxFragments=1, MaxWords=${SNIPPET_WORDS}, MinWords=${SNIPPET_WORDS - 1}, ShortWord=0') AS snippet,
                -- Weights of D, C (body), B (tags), A (title) as bm25's 1, 2, 4 on SQLite; normalization 1
                -- divides by the log of the length, as bm25 favours short documents.
                ts_rank_cd('{0, 0.25, 0.5, 1}', d.search, q, 1) AS rank
         FROM knowledge_docs d JOIN orgs o ON o.id = d.org_id, to_tsquery('${SEARCH_CONFIG}', :query) q
         WHERE d.search @@ q AND (d.org_id IN (SELECT value FROM json_each(:orgs))
           OR (o.is_owner = 1 AND (d.shared_with_all = 1 OR EXISTS (SELECT 1 FROM knowledge_shares s
             WHERE s.doc_id = d.id AND s.org_id IN (SELECT value FROM json_each(:orgs))))))
         ORDER BY rank DESC, d.created_at, d.id LIMIT :limit
       ) hit, LATERAL (SELECT replace(replace(hit.snippet, chr(2), ''), chr(3), '') AS plain) stripped
     ) placed
     ORDER BY rank DESC, created_at, id`,
  );

  return {
    index: (_doc: Indexed) => {},
    unindex: (_id: string) => {},
    unindexOrg: (_orgId: string) => {},
    search(terms: string[], orgIds: string[], limit: number): SearchHit[] {
      // Every term as a prefix, as on SQLite (websearch_to_tsquery has no prefix terms).
      const query = terms.map((term) => `'${term}':*`).join(' & ');
      return search
        .all({ query, orgs: JSON.stringify(orgIds), limit })
        .map(({ at, before, before_cut, after, after_cut, ...hit }) => ({
          ...hit,
          snippet: ellipsized(
            hit.snippet,
            at === 0 ? null : { before, beforeCut: before_cut === 1, after, afterCut: after_cut === 1 },
          ),
        }));
    },
  };
}

export function createKnowledgeRepo(db: Db) {
  const VIEW = viewOf(db);
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
  const row = db.prepare<{ id: string }, DocRow>(
    `SELECT id, org_id, title, body, source_name, tags, size, author_id, author_label, shared_with_all, created_at, updated_at
     FROM knowledge_docs WHERE id = :id`,
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
  // PostgreSQL keeps a share with its document's org (doc_org_id), on the document's shard.
  const addShare = db.prepare<{ doc: string; org: string }>(
    onPostgres(db)
      ? `INSERT INTO knowledge_shares (doc_org_id, doc_id, org_id) SELECT org_id, :doc, :org FROM knowledge_docs
         WHERE id = :doc ON CONFLICT DO NOTHING`
      : 'INSERT OR IGNORE INTO knowledge_shares (doc_id, org_id) VALUES (:doc, :org)',
  );
  const dropShare = db.prepare<{ doc: string; org: string }>(
    'DELETE FROM knowledge_shares WHERE doc_id = :doc AND org_id = :org',
  );
  const dropShares = db.prepare<{ doc: string }>('DELETE FROM knowledge_shares WHERE doc_id = :doc');
  const searchIndex = onPostgres(db) ? postgresSearch(db) : sqliteSearch(db);

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
    /** Brings a document's search entry up to date with its text and who may find it. */
    index: searchIndex.index,
    unindex: searchIndex.unindex,
    unindexOrg: searchIndex.unindexOrg,
    /** Documents matching every prefix term that one of `orgIds` may read, best first. */
    search: searchIndex.search,
  };
}

export type KnowledgeRepo = ReturnType<typeof createKnowledgeRepo>;
