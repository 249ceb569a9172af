import type { PostgresMigration } from '../migrate';
import { tables } from './001-tables';
import { rowLevelSecurity } from './002-row-level-security';
import { handleAliasesUsageRelabels } from './003-handle-aliases-usage-relabels';
import { callIdentityChainHeads } from './004-call-identity-chain-heads';
import { usageUndos } from './005-usage-undos';
import { sharedKnowledgeOwnerOrg } from './006-shared-knowledge-owner-org';
import { policiesReadOrgsOnce } from './007-policies-read-orgs-once';
import { usageMonthRollupsFillfactor } from './008-usage-month-rollups-fillfactor';

/** Append only, like SQLite's: a released migration is never edited, a new one is added. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  tables,
  rowLevelSecurity,
  handleAliasesUsageRelabels,
  callIdentityChainHeads,
  usageUndos,
  sharedKnowledgeOwnerOrg,
  policiesReadOrgsOnce,
  usageMonthRollupsFillfactor,
];
