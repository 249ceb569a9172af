import type { PostgresMigration } from '../migrate';

/** The expression every org-keyed policy tests: the call listed this org in orgdeck.org_ids. */
const listed = (column: string) => `${column} = ANY (orgdeck_org_ids())`;
/** Rows that belong to no org (NULL org_id) are the MSP's own: only calls that see every org reach them. */
const listedOrMspWide = (column: string) =>
  `(${listed(column)} OR (${column} IS NULL AND orgdeck_msp_wide()))`;
/** Usage tables name orgs by usage_refs integers; 0 is usage in no org. */
const listedRef = `((org = 0 AND orgdeck_msp_wide())
  OR org IN (SELECT r.id FROM usage_refs r WHERE r.kind = 'org' AND ${listed('r.name')}))`;

/** One policy for every command: a row is read and written only under the same rule. */
function guard(table: string, rule: string): string {
  return `
    ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
    ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
    CREATE POLICY org_rows ON ${table} USING (${rule}) WITH CHECK (${rule});`;
}

/** The tables whose policy tests `org_id` (migration 8 rewrites the same policies). */
export const ORG_ID_TABLES = [
  'org_terms',
  'org_model_markups',
  'org_inactive_periods',
  'memberships',
  'invite_memberships',
  'agent_assignments',
  'policies',
  'policy_versions',
  'policy_defaults',
  'budget_alerts',
  'webhook_deliveries',
  'statements',
  'statement_lines',
];

/** The usage tables, whose policy tests the org a usage ref names. */
export const USAGE_TABLES = [
  'usage_buckets',
  'usage_bucket_versions',
  'usage_days',
  'usage_months',
  'usage_org_months',
];

/**
 * Forced row-level security on every table holding an org's rows: a second wall behind OrgScope,
 * so a query that forgets its org filter still returns and writes nothing outside the call's orgs.
 * Each transaction of the server states its orgs first (SET LOCAL orgdeck.org_ids = 'id,id');
 * without it a connection sees no tenant row. FORCE makes the owner role obey the policies too:
 * a later migration that rewrites org rows lifts it (NO FORCE) inside its own transaction.
 */
export const rowLevelSecurity: PostgresMigration = {
  version: 2,
  name: 'Row-level security: org rows readable and writable only for the orgs a transaction names',
  sql: `
    -- A comma list of org ids (ids never hold a comma); unset or empty: no org.
    CREATE FUNCTION orgdeck_org_ids() RETURNS text[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
      SELECT string_to_array(nullif(current_setting('orgdeck.org_ids', true), ''), ',')
    $$;
    -- 'on' for calls that see every org (owner, admin): they also reach rows of no org.
    CREATE FUNCTION orgdeck_msp_wide() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
      SELECT coalesce(current_setting('orgdeck.msp_wide', true), '') = 'on'
    $$;

    ${guard('orgs', listed('id'))}
    ${ORG_ID_TABLES.map((table) => guard(table, listed('org_id'))).join('\n')}
    ${guard('agents', listedOrMspWide('org_id'))}
    ${guard('audit_events', listedOrMspWide('org_id'))}
    ${['agent_aliases', 'agent_rates'].map((table) => guard(table, 'EXISTS (SELECT 1 FROM agents a WHERE a.id = agent_id)')).join('\n')}
    ${USAGE_TABLES.map((table) => guard(table, listedRef)).join('\n')}

    -- A document is written by its org only, and read also by the orgs it is shared with (every
    -- org, for shared_with_all). The share rows do not look back at documents, so no policy loops.
    ALTER TABLE knowledge_shares ENABLE ROW LEVEL SECURITY;
    ALTER TABLE knowledge_shares FORCE ROW LEVEL SECURITY;
    CREATE POLICY own_shares ON knowledge_shares USING (${listed('doc_org_id')}) WITH CHECK (${listed('doc_org_id')});
    CREATE POLICY shared_with_me ON knowledge_shares FOR SELECT USING (${listed('org_id')});

    ALTER TABLE knowledge_docs ENABLE ROW LEVEL SECURITY;
    ALTER TABLE knowledge_docs FORCE ROW LEVEL SECURITY;
    CREATE POLICY own_docs ON knowledge_docs USING (${listed('org_id')}) WITH CHECK (${listed('org_id')});
    CREATE POLICY shared_docs ON knowledge_docs FOR SELECT USING (
      (shared_with_all = 1 AND cardinality(orgdeck_org_ids()) > 0)
      OR EXISTS (SELECT 1 FROM knowledge_shares s WHERE s.doc_org_id = knowledge_docs.org_id
        AND s.doc_id = knowledge_docs.id AND ${listed('s.org_id')}));
  `,
};
