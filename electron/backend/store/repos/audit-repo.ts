import type { Db } from '../database';
import type { OrgScope } from '../org-scope';
import { AUDIT_CANONICAL } from '../sql-functions';

export interface AuditRow {
  id: number;
  at: string;
  actor_id: string | null;
  actor_label: string;
  org_id: string | null;
  action: string;
  target_type: string;
  target_id: string;
  /** JSON: { before?, after?, ... } */
  summary: string;
  prev_hash: string;
  hash: string;
}

export type NewAuditRow = Omit<AuditRow, 'id' | 'prev_hash' | 'hash'>;

export interface AuditFilter {
  org?: string;
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

/** A scoped session sees its orgs' entries; entries of no org (users, settings) only when it sees all. */
const WHERE = `(:scope IS NULL OR org_id IN (SELECT value FROM json_each(:scope)))
  AND (:org IS NULL OR org_id = :org)
  AND (:actor IS NULL OR instr(lower(actor_label), lower(:actor)) > 0)
  AND (:action IS NULL OR action = :action OR action LIKE :action || '.%')
  AND (:from IS NULL OR at >= :from) AND (:to IS NULL OR at < :to)`;

type FilterParams = {
  scope: string | null;
  org: string | null;
  actor: string | null;
  action: string | null;
  from: string | null;
  to: string | null;
};

export function createAuditRepo(db: Db) {
  // One statement reads the last hash and chains the new entry to it, so concurrent writers
  // (the console and the CLI) cannot fork the chain.
  const insert = db.prepare<NewAuditRow>(
    `INSERT INTO audit_events (id, at, actor_id, actor_label, org_id, action, target_type, target_id, summary, prev_hash, hash)
     SELECT n.id, :at, :actor_id, :actor_label, :org_id, :action, :target_type, :target_id, :summary, n.prev,
            orgdeck_sha256(n.prev || char(10) || json_array(n.id, :at, :actor_id, :actor_label, :org_id, :action,
                                                        :target_type, :target_id, :summary))
     FROM (SELECT ifnull(max(id), 0) + 1 AS id,
                  ifnull((SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1), '') AS prev
           FROM audit_events) n`,
  );
  const page = db.prepare<FilterParams & { limit: number; offset: number }, AuditRow>(
    `SELECT * FROM audit_events WHERE ${WHERE} ORDER BY id DESC LIMIT :limit OFFSET :offset`,
  );
  const count = db.prepare<FilterParams, { n: number }>(
    `SELECT count(*) AS n FROM audit_events WHERE ${WHERE}`,
  );
  const all = db.prepare<[], AuditRow>('SELECT * FROM audit_events ORDER BY id');
  const firstBroken = db.prepare<[], { id: number; reason: string }>(
    `SELECT id, CASE WHEN prev_hash <> ifnull(expected_prev, '') THEN 'it does not follow the entry before it'
                     ELSE 'its content does not match its hash' END AS reason
     FROM (SELECT id, prev_hash, hash, lag(hash) OVER (ORDER BY id) AS expected_prev,
                  lag(id) OVER (ORDER BY id) AS prev_id,
                  orgdeck_sha256(prev_hash || ${AUDIT_CANONICAL}) AS expected_hash
           FROM audit_events)
     WHERE prev_hash <> ifnull(expected_prev, '') OR hash <> expected_hash
        OR (prev_id IS NOT NULL AND id <> prev_id + 1)
     ORDER BY id LIMIT 1`,
  );
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
    insert: (row: NewAuditRow) => void insert.run(row),
    page(scope: OrgScope, filter: AuditFilter) {
      const p = params(scope, filter);
      return {
        rows: page.all({ ...p, limit: filter.limit, offset: filter.offset }),
        total: count.get(p)?.n ?? 0,
      };
    },
    actions: (scope: OrgScope) => actions.all({ scope: scope.sqlParam }).map((row) => row.action),
    /** Every entry in order, for exports. */
    iterate: () => all.iterate(),
    /** The first entry whose hash or link to the one before does not hold, or undefined when all do. */
    firstBroken: () => firstBroken.get(),
    count: () => countAll.get()?.n ?? 0,
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
