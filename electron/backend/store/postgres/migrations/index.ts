import type { PostgresMigration } from '../migrate';
import { tables } from './001-tables';
import { rowLevelSecurity } from './002-row-level-security';
import { handleAliasesUsageRelabels } from './003-handle-aliases-usage-relabels';
import { callIdentityChainHeads } from './004-call-identity-chain-heads';
import { usageUndos } from './005-usage-undos';
import { sharedKnowledgeOwnerOrg } from './006-shared-knowledge-owner-org';
import { sharedServerState } from './007-shared-server-state';
import { policiesReadOrgsOnce } from './008-policies-read-orgs-once';
import { purgedOrgStatements } from './009-purged-org-statements';
import { usageMonthRollupsFillfactor } from './010-usage-month-rollups-fillfactor';
import { archiveImports } from './011-archive-imports';
import { usageDaysJobBrin } from './012-usage-days-job-brin';
import { totpLastStep } from './013-totp-last-step';
import { bucketWidthsGroupings } from './014-bucket-widths-groupings';
import { purgedOrgAudit } from './015-purged-org-audit';
import { monthsClosedWithoutStatement } from './016-months-closed-without-statement';
import { knowledgeSearchUnaccented } from './017-knowledge-search-unaccented';
import { importJobHosts } from './018-import-job-hosts';
import { billingAttributionRevision } from './019-billing-attribution-revision';
import { monthsClosedAtSource } from './020-months-closed-at-source';

/** Append only, like SQLite's: a released migration is never edited, a new one is added. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  tables,
  rowLevelSecurity,
  handleAliasesUsageRelabels,
  callIdentityChainHeads,
  usageUndos,
  sharedKnowledgeOwnerOrg,
  sharedServerState,
  policiesReadOrgsOnce,
  purgedOrgStatements,
  usageMonthRollupsFillfactor,
  archiveImports,
  usageDaysJobBrin,
  totpLastStep,
  bucketWidthsGroupings,
  purgedOrgAudit,
  monthsClosedWithoutStatement,
  knowledgeSearchUnaccented,
  importJobHosts,
  billingAttributionRevision,
  monthsClosedAtSource,
];
