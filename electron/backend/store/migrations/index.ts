import type { Migration } from '../migrate';
import { initial } from './001-initial';
import { orgLifecycleUsersAudit } from './002-org-lifecycle-users-audit';
import { agents } from './003-agents';
import { billing } from './004-billing';
import { knowledge } from './005-knowledge';
import { auditChain } from './006-audit-chain';
import { policies } from './007-policies';
import { apiTokens } from './008-api-tokens';
import { usageIntegerRollups } from './009-usage-integer-rollups';
import { usageImportUndo } from './010-usage-import-undo';
import { usageIdentities } from './011-usage-identities';
import { memberships } from './012-memberships';
import { knownDevices } from './013-known-devices';
import { tokenCategories } from './014-token-categories';
import { bucketImportUndo } from './015-bucket-import-undo';
import { billingTermsHistory } from './016-billing-terms-history';
import { statements } from './017-statements';
import { budgetAlerts } from './018-budget-alerts';
import { importProblems } from './019-import-problems';
import { handleAliases } from './020-handle-aliases';
import { usageRelabels } from './021-usage-relabels';
import { usageUndos } from './022-usage-undos';
import { sharedServerState } from './023-shared-server-state';
import { archiveImports } from './024-archive-imports';
import { usageMonthResums } from './025-usage-month-resums';
import { totpLastStep } from './026-totp-last-step';
import { bucketWidthsGroupings } from './027-bucket-widths-groupings';
import { monthsClosedWithoutStatement } from './028-months-closed-without-statement';
import { resumSwapCursor } from './029-resum-swap-cursor';
import { importJobHosts } from './030-import-job-hosts';
import { monthsClosedAtSource } from './031-months-closed-at-source';
import { purgedOrgSearchEntries } from './032-purged-org-search-entries';

/** Append only: a released migration is never edited, a new one is added. */
export const MIGRATIONS: readonly Migration[] = [
  initial,
  orgLifecycleUsersAudit,
  agents,
  billing,
  knowledge,
  auditChain,
  policies,
  apiTokens,
  usageIntegerRollups,
  usageImportUndo,
  usageIdentities,
  memberships,
  knownDevices,
  tokenCategories,
  bucketImportUndo,
  billingTermsHistory,
  statements,
  budgetAlerts,
  importProblems,
  handleAliases,
  usageRelabels,
  usageUndos,
  sharedServerState,
  archiveImports,
  usageMonthResums,
  totpLastStep,
  bucketWidthsGroupings,
  monthsClosedWithoutStatement,
  resumSwapCursor,
  importJobHosts,
  monthsClosedAtSource,
  purgedOrgSearchEntries,
];
