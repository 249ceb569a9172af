import { type Db, openDatabase } from './database';
import { createAgentsRepo } from './repos/agents-repo';
import { createApiTokensRepo } from './repos/api-tokens-repo';
import { createAuditRepo } from './repos/audit-repo';
import { createBillingRevision } from './repos/billing-revision';
import { createJobsRepo } from './repos/jobs-repo';
import { createKnowledgeRepo } from './repos/knowledge-repo';
import { createOrgActivityRepo } from './repos/org-activity-repo';
import { createOrgsRepo } from './repos/orgs-repo';
import { createPoliciesRepo } from './repos/policies-repo';
import { createPricesRepo } from './repos/prices-repo';
import { createSessionsRepo } from './repos/sessions-repo';
import { createSettingsRepo } from './repos/settings-repo';
import { createTransferRepo } from './repos/transfer-repo';
import { createUsageRepo } from './repos/usage-repo';
import { createUsersRepo } from './repos/users-repo';

/** The tenant store: one writer connection and the repositories, the only place with SQL. */
export function openStore(file: string) {
  const db = openDatabase(file);
  return {
    db,
    orgs: createOrgsRepo(db),
    users: createUsersRepo(db),
    sessions: createSessionsRepo(db),
    apiTokens: createApiTokensRepo(db),
    settings: createSettingsRepo(db),
    audit: createAuditRepo(db),
    agents: createAgentsRepo(db),
    orgActivity: createOrgActivityRepo(db),
    prices: createPricesRepo(db),
    usage: createUsageRepo(db),
    billingRevision: createBillingRevision(db),
    jobs: createJobsRepo(db),
    knowledge: createKnowledgeRepo(db),
    policies: createPoliciesRepo(db),
    transfer: createTransferRepo(db),
    /** Runs `work` in one transaction: every write that spans rows goes through here. */
    transaction<T>(work: () => T): T {
      return db.transaction(work)();
    },
    close: () => db.close(),
  };
}

export type Store = ReturnType<typeof openStore>;
export type { Db };
