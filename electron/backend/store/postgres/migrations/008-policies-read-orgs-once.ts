import type { PostgresMigration } from '../migrate';
import { ORG_ID_TABLES, USAGE_TABLES } from './002-row-level-security';

/**
 * The orgs a transaction names, read once per statement: a scalar subquery of a stable function is
 * an initPlan, where the bare call (inlined) splits orgdeck.org_ids again for every row a policy
 * tests. With 500 orgs that was most of reading 10,000 agents, and a tenth of each usage import.
 * The cast keeps `= ANY (…)` reading an array, not a subquery's rows.
 */
const ORG_IDS = '(SELECT orgdeck_org_ids())::text[]';
const MSP_WIDE = '(SELECT orgdeck_msp_wide())';

/** The same rules as migration 2's, each reading the orgs through ORG_IDS and MSP_WIDE. */
const listed = (column: string) => `${column} = ANY (${ORG_IDS})`;
const listedOrMspWide = (column: string) => `(${listed(column)} OR (${column} IS NULL AND ${MSP_WIDE}))`;
const listedRef = `((org = 0 AND ${MSP_WIDE})
  OR org IN (SELECT r.id FROM usage_refs r WHERE r.kind = 'org' AND ${listed('r.name')}))`;

const rule = (table: string, policy: string, test: string) =>
  `ALTER POLICY ${policy} ON ${table} USING (${test}) WITH CHECK (${test});`;
const readRule = (table: string, policy: string, test: string) =>
  `ALTER POLICY ${policy} ON ${table} USING (${test});`;

export const policiesReadOrgsOnce: PostgresMigration = {
  version: 8,
  name: 'Row-level security policies read the named orgs once per statement',
  sql: `
    ${rule('orgs', 'org_rows', listed('id'))}
    ${ORG_ID_TABLES.map((table) => rule(table, 'org_rows', listed('org_id'))).join('\n    ')}
    ${rule('agents', 'org_rows', listedOrMspWide('org_id'))}
    ${rule('audit_events', 'org_rows', listedOrMspWide('org_id'))}
    ${USAGE_TABLES.map((table) => rule(table, 'org_rows', listedRef)).join('\n    ')}
    ${rule('knowledge_shares', 'own_shares', listed('doc_org_id'))}
    ${readRule('knowledge_shares', 'shared_with_me', listed('org_id'))}
    ${rule('knowledge_docs', 'own_docs', listed('org_id'))}
    ${readRule(
      'knowledge_docs',
      'shared_docs',
      `(shared_with_all = 1 AND cardinality(${ORG_IDS}) > 0)
      OR EXISTS (SELECT 1 FROM knowledge_shares s WHERE s.doc_org_id = knowledge_docs.org_id
        AND s.doc_id = knowledge_docs.id AND ${listed('s.org_id')})`,
    )}
  `,
};
