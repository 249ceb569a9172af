/** One table `store copy` moves from SQLite to PostgreSQL. */
export interface CopiedTable {
  name: string;
  /** The SQLite query that reads its rows, named as PostgreSQL's columns, where the two differ. */
  select?: string;
  /** PostgreSQL's migrations seed this table's rows, which the copy replaces with the store's. */
  seededByMigrations?: boolean;
}

/**
 * Every table of a store, in an order where each row's parents are copied before it. A SQLite
 * table that is neither here nor SQLite-only stops the copy: a migration that adds a table must
 * say how it moves.
 */
export const COPIED_TABLES: readonly CopiedTable[] = [
  { name: 'settings' },
  { name: 'msp_logos' },
  { name: 'users' },
  { name: 'sessions' },
  { name: 'api_tokens' },
  { name: 'recovery_codes' },
  { name: 'known_devices' },
  { name: 'sign_in_failures' },
  { name: 'invites' },
  { name: 'model_prices' },
  { name: 'model_price_rates' },
  { name: 'import_jobs' },
  { name: 'usage_jobs' },
  { name: 'usage_refs' },
  { name: 'usage_seen' },
  { name: 'usage_relabels' },
  { name: 'usage_undos' },
  { name: 'archive_imports' },
  { name: 'orgs' },
  { name: 'org_terms' },
  { name: 'org_model_markups' },
  { name: 'org_inactive_periods' },
  { name: 'memberships' },
  { name: 'invite_memberships' },
  { name: 'agents' },
  { name: 'agent_aliases' },
  { name: 'agent_rates' },
  { name: 'agent_assignments' },
  // The search column is generated from the row on PostgreSQL.
  { name: 'knowledge_docs' },
  // PostgreSQL stores the document's org with each share (its distribution key).
  {
    name: 'knowledge_shares',
    select: `SELECT d.org_id AS doc_org_id, s.doc_id, s.org_id
             FROM knowledge_shares s LEFT JOIN knowledge_docs d ON d.id = s.doc_id`,
  },
  { name: 'policies' },
  // PostgreSQL keys each version by its policy's org as well.
  {
    name: 'policy_versions',
    select: `SELECT p.org_id, v.* FROM policy_versions v LEFT JOIN policies p ON p.id = v.policy_id`,
  },
  { name: 'policy_defaults' },
  { name: 'budget_alerts' },
  { name: 'webhook_deliveries' },
  { name: 'statements' },
  { name: 'statement_lines' },
  { name: 'months_closed_without_statement' },
  { name: 'months_closed_at_source' },
  { name: 'audit_events' },
  { name: 'usage_buckets' },
  { name: 'usage_bucket_versions' },
  // SQLite's implicit rowid is an explicit column on PostgreSQL (the repositories' watermark).
  { name: 'usage_days', select: 'SELECT rowid, * FROM usage_days' },
  { name: 'usage_months' },
  { name: 'usage_org_months' },
  // Last: the copy's own inserts move the revision on PostgreSQL (its triggers), the store's replaces it.
  {
    name: 'billing_revision',
    seededByMigrations: true,
    // PostgreSQL's count of placing changes (its migration 19) starts at 0: no import is running.
    select: 'SELECT id, n, 0 AS attribution_n FROM billing_revision',
  },
];

/** SQLite tables with no PostgreSQL counterpart, and where their content lives there instead. */
export const SQLITE_ONLY_TABLES: Readonly<Record<string, string>> = {
  knowledge_fts: 'knowledge_docs.search, a generated tsvector column',
  usage_month_resums:
    'none: PostgreSQL sums a re-priced month in the re-pricing; a store with a re-sum pending is not copied',
  usage_month_resum_sums: 'none, as usage_month_resums',
};

/**
 * Tables PostgreSQL has whose SQLite rows are not moved, and why: the copy leaves their rows out
 * (and counts none on either side).
 */
export const LEFT_BEHIND_TABLES: Readonly<Record<string, string>> = {
  uploads:
    'unfinished uploads, whose bytes are files beside the SQLite store: send those files again to the new server',
};

/** FTS5 keeps a virtual table's index in shadow tables named after it. */
const FTS5_SHADOW_SUFFIXES = ['config', 'content', 'data', 'docsize', 'idx'];

/** SQLite's own bookkeeping (sqlite_sequence, sqlite_stat1…), the shadow tables of a SQLite-only table, and tables left behind. */
export function isLeftOutOfCopy(name: string): boolean {
  return (
    name.startsWith('sqlite_') ||
    name in SQLITE_ONLY_TABLES ||
    name in LEFT_BEHIND_TABLES ||
    Object.keys(SQLITE_ONLY_TABLES).some((table) =>
      FTS5_SHADOW_SUFFIXES.some((suffix) => name === `${table}_${suffix}`),
    )
  );
}
