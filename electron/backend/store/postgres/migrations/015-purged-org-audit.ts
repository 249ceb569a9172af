import type { PostgresMigration } from '../migrate';

const ORG_IDS = '(SELECT orgdeck_org_ids())::text[]';
const MSP_WIDE = '(SELECT orgdeck_msp_wide())';

/**
 * Listed by the call, or, for a call that sees every org, an entry of no org or of an org purged
 * since (none has the id): migration 8's rule for the trail, with migration 9's for purged orgs.
 */
const listedMspWideOrPurged = `(org_id = ANY (${ORG_IDS})
  OR (${MSP_WIDE} AND (org_id IS NULL OR NOT EXISTS (SELECT 1 FROM orgs o WHERE o.id = org_id))))`;

/**
 * A purged org's audit entries stay in the trail, as on SQLite: hidden, they left owners without
 * the org's history, and `audit verify` found the hash chain broken where they had been.
 */
export const purgedOrgAudit: PostgresMigration = {
  version: 15,
  name: 'Audit entries of purged orgs stay readable by calls that see every org',
  sql: `ALTER POLICY org_rows ON audit_events USING ${listedMspWideOrPurged} WITH CHECK ${listedMspWideOrPurged};`,
};
