import { AUDIT_SORTS, type AuditSort } from '../../../../shared/domain/audit-sort';
import { auditEntryHash, type ChainedAuditEntry, firstBrokenAuditLink } from '../audit-chain';
import { type Db, onPostgres } from '../engine';
import type { OrgScope } from '../org-scope';
import type { PgDb } from '../postgres/pg-db';

/** An entry as stored: its fields, and the hashes that chain it (audit-chain.ts). */
export type AuditRow = ChainedAuditEntry;

export type NewAuditRow = Omit<AuditRow, 'id' | 'prev_hash' | 'hash'>;

export interface AuditFilter {
  org?: string;
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  sort: AuditSort;
  direction: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/** A scoped session sees its orgs' entries; entries of no org (users, settings) only when it sees all. */
const WHERE = `(:scope IS NULL OR e.org_id IN (SELECT value FROM json_each(:scope)))
  AND (:org IS NULL OR e.org_id = :org)
  AND (:actor IS NULL OR instr(lower(e.actor_label), lower(:actor)) > 0)
  AND (:action IS NULL OR e.action = :action OR e.action LIKE :action || '.%')
  AND (:from IS NULL OR e.at >= :from) AND (:to IS NULL OR e.at < :to)`;

/**
 * What each sort orders by. Ids follow the chain, so they are the time order even where two entries
 * share a millisecond (on PostgreSQL, the order their changes committed in); an entry of no org
 * (or of a purged one) sorts after every named org.
 */
const ORDER: Record<AuditSort, (direction: 'ASC' | 'DESC') => string> = {
  time: (direction) => `e.id ${direction}`,
  org: (direction) => `o.name IS NULL, o.name COLLATE NOCASE ${direction}`,
  actor: (direction) => `e.actor_label COLLATE NOCASE ${direction}`,
  action: (direction) => `e.action ${direction}`,
};
type Direction = AuditFilter['direction'];

type FilterParams = {
  scope: string | null;
  org: string | null;
  actor: string | null;
  action: string | null;
  from: string | null;
  to: string | null;
};

/**
 * On PostgreSQL, row-level security hides other orgs' entries, so the chain's head lives in a
 * shared row (audit_chain_head), taken FOR UPDATE by the writing transaction: concurrent writers,
 * on one server or several, take turns and never fork the chain. Entries are written as the
 * transaction commits (PgDb.atCommit): the head is its last lock, held for the commit alone, so a
 * long change (a purge) does not keep every other writer waiting, and a writer waiting for the head
 * never waits for one that waits for it.
 */
function postgresAppend(db: PgDb) {
  const head = db.prepare<[], { last_id: number; last_hash: string }>(
    'SELECT last_id, last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE',
  );
  const append = db.prepare<AuditRow>(
    `INSERT INTO audit_events (id, at, actor_id, actor_label, org_id, action, target_type, target_id, summary, prev_hash, hash)
     VALUES (:id, :at, :actor_id, :actor_label, :org_id, :action, :target_type, :target_id, :summary, :prev_hash, :hash)`,
  );
  const moveHead = db.prepare<{ id: number; hash: string }>(
    'UPDATE audit_chain_head SET last_id = :id, last_hash = :hash WHERE id = 1',
  );
  const appendNow = db.transaction((row: NewAuditRow) => {
    const last = head.get();
    if (!last) throw new Error('The audit chain has no head row: the database was not migrated.');
    const entry = { ...row, id: last.last_id + 1, prev_hash: last.last_hash };
    const hash = auditEntryHash(entry.prev_hash, entry);
    append.run({ ...entry, hash });
    moveHead.run({ id: entry.id, hash });
  });
  return { now: appendNow, atCommit: (row: NewAuditRow) => db.atCommit(() => appendNow(row)) };
}

export function createAuditRepo(db: Db) {
  const postgresAppends = onPostgres(db) ? postgresAppend(db as PgDb) : null;
  // One statement reads the last hash and chains the new entry to it, so concurrent writers
  // (the console and the CLI) cannot fork the chain.
  const insert = db.prepare<NewAuditRow>(
    `INSERT INTO audit_events (id, at, actor_id, actor_label, org_id, action, target_type, target_id, summary, prev_hash, hash)
     SELECT n.id, :at, :actor_id, :actor_label, :org_id, :action, :target_type, :target_id, :summary, n.prev,
            orgdeck_audit_hash(n.prev, n.id, :at, :actor_id, :actor_label, :org_id, :action, :target_type,
                               :target_id, :summary)
     FROM (SELECT ifnull(max(id), 0) + 1 AS id,
                  ifnull((SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1), '') AS prev
           FROM audit_events) n`,
  );
  // One statement per sort and direction, prepared once; ties list the newest first.
  const pageIn = (sort: AuditSort, direction: Direction) =>
    db.prepare<FilterParams & { limit: number; offset: number }, AuditRow>(
      `SELECT e.* FROM audit_events e LEFT JOIN orgs o ON o.id = e.org_id WHERE ${WHERE}
       ORDER BY ${ORDER[sort](direction === 'asc' ? 'ASC' : 'DESC')}, e.id DESC LIMIT :limit OFFSET :offset`,
    );
  type PageStatement = ReturnType<typeof pageIn>;
  const pages = Object.fromEntries(
    AUDIT_SORTS.map((sort) => [sort, { asc: pageIn(sort, 'asc'), desc: pageIn(sort, 'desc') }]),
  ) as Record<AuditSort, Record<Direction, PageStatement>>;
  const count = db.prepare<FilterParams, { n: number }>(
    `SELECT count(*) AS n FROM audit_events e WHERE ${WHERE}`,
  );
  const all = db.prepare<[], AuditRow>('SELECT * FROM audit_events ORDER BY id');
  const actions = db.prepare<{ scope: string | null }, { action: string }>(
    `SELECT DISTINCT action FROM audit_events
     WHERE :scope IS NULL OR org_id IN (SELECT value FROM json_each(:scope)) ORDER BY action`,
  );
  const countAll = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit_events');

  const params = (scope: OrgScope, filter: Omit<AuditFilter, 'limit' | 'offset'>): FilterParams => ({
    scope: scope.sqlParam,
    org: filter.org ?? null,
    actor: filter.actor || null,
    action: filter.action || null,
    from: filter.from ?? null,
    to: filter.to ?? null,
  });

  return {
    insert: (row: NewAuditRow) => (postgresAppends ? postgresAppends.atCommit(row) : void insert.run(row)),
    /**
     * As insert, but on PostgreSQL chained at once, the head then held to the end of the
     * transaction: for a trail copied in bulk (an org archive's, written last), whose entries held
     * back to the commit would keep the whole trail in memory. Entries held before it in the
     * same transaction are chained after it, at the commit.
     */
    insertNow: (row: NewAuditRow) => (postgresAppends ? postgresAppends.now(row) : void insert.run(row)),
    page(scope: OrgScope, filter: AuditFilter) {
      const p = params(scope, filter);
      return {
        rows: pages[filter.sort][filter.direction].all({ ...p, limit: filter.limit, offset: filter.offset }),
        total: count.get(p)?.n ?? 0,
      };
    },
    actions: (scope: OrgScope) => actions.all({ scope: scope.sqlParam }).map((row) => row.action),
    /** Every entry in order, for exports. */
    iterate: () => all.iterate(),
    /** The first entry whose hash or link to the one before does not hold, or undefined when all do. */
    firstBroken: () => firstBrokenAuditLink(all.iterate()),
    count: () => countAll.get()?.n ?? 0,
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
