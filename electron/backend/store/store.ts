import { type Db, openDatabase, openReadConnection } from './database';
import { createAgentAliasesRepo } from './repos/agent-aliases-repo';
import { createAgentsRepo } from './repos/agents-repo';
import { createApiTokensRepo } from './repos/api-tokens-repo';
import { createAuditRepo } from './repos/audit-repo';
import { createBillingRevision } from './repos/billing-revision';
import { createBillingTermsRepo } from './repos/billing-terms-repo';
import { createBudgetAlertsRepo } from './repos/budget-alerts-repo';
import { createInvitesRepo } from './repos/invites-repo';
import { createJobsRepo } from './repos/jobs-repo';
import { createKnowledgeRepo } from './repos/knowledge-repo';
import { createKnownDevicesRepo } from './repos/known-devices-repo';
import { createMembershipsRepo } from './repos/memberships-repo';
import { createOrgActivityRepo } from './repos/org-activity-repo';
import { createOrgsRepo } from './repos/orgs-repo';
import { createPoliciesRepo } from './repos/policies-repo';
import { createPricesRepo } from './repos/prices-repo';
import { createRecoveryCodesRepo } from './repos/recovery-codes-repo';
import { createSessionsRepo } from './repos/sessions-repo';
import { createSettingsRepo } from './repos/settings-repo';
import { createLogosRepo, createStatementsRepo } from './repos/statements-repo';
import { createTransferRepo } from './repos/transfer-repo';
import { createUsageRepo } from './repos/usage-repo';
import { createUsageUndosRepo } from './repos/usage-undos-repo';
import { createUsersRepo } from './repos/users-repo';

/** The tenant store: one writer connection and the repositories, the only place with SQL. */
export function openStore(file: string) {
  return storeOn(openDatabase(file));
}

/**
 * The same repositories on a read-only connection, for a backend host's readers. The one write a
 * read may cause (noting when an API token was last used) is handed to `touchApiToken`, which
 * passes it to the writer.
 */
export function openReadStore(file: string, touchApiToken: (id: string, at: string) => void): Store {
  const store = storeOn(openReadConnection(file));
  return {
    ...store,
    apiTokens: { ...store.apiTokens, touch: (id: string, at: string) => void touchApiToken(id, at) },
  };
}

function storeOn(db: Db) {
  return {
    db,
    orgs: createOrgsRepo(db),
    users: createUsersRepo(db),
    memberships: createMembershipsRepo(db),
    invites: createInvitesRepo(db),
    recoveryCodes: createRecoveryCodesRepo(db),
    sessions: createSessionsRepo(db),
    apiTokens: createApiTokensRepo(db),
    knownDevices: createKnownDevicesRepo(db),
    settings: createSettingsRepo(db),
    audit: createAuditRepo(db),
    agents: createAgentsRepo(db),
    agentAliases: createAgentAliasesRepo(db),
    orgActivity: createOrgActivityRepo(db),
    prices: createPricesRepo(db),
    usage: createUsageRepo(db),
    usageUndos: createUsageUndosRepo(db),
    billingRevision: createBillingRevision(db),
    billingTerms: createBillingTermsRepo(db),
    jobs: createJobsRepo(db),
    knowledge: createKnowledgeRepo(db),
    policies: createPoliciesRepo(db),
    transfer: createTransferRepo(db),
    statements: createStatementsRepo(db),
    logos: createLogosRepo(db),
    budgetAlerts: createBudgetAlertsRepo(db),
    /** Runs `work` in one transaction: every write that spans rows goes through here. */
    transaction<T>(work: () => T): T {
      return db.transaction(work)();
    },
    /**
     * The same, taking the write lock first: for work that reads before it writes while another
     * connection (an import worker) may be writing, so the reads cannot go stale.
     */
    writeTransaction<T>(work: () => T): T {
      return db.transaction(work).immediate();
    },
    close: () => db.close(),
  };
}

export type Store = ReturnType<typeof storeOn>;
export type { Db };
