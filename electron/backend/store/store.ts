import { type Db, openDatabase } from './database';
import { createAgentsRepo } from './repos/agents-repo';
import { createAuditRepo } from './repos/audit-repo';
import { createOrgsRepo } from './repos/orgs-repo';
import { createSessionsRepo } from './repos/sessions-repo';
import { createSettingsRepo } from './repos/settings-repo';
import { createUsersRepo } from './repos/users-repo';

/** The tenant store: one writer connection and the repositories, the only place with SQL. */
export function openStore(file: string) {
  const db = openDatabase(file);
  return {
    db,
    orgs: createOrgsRepo(db),
    users: createUsersRepo(db),
    sessions: createSessionsRepo(db),
    settings: createSettingsRepo(db),
    audit: createAuditRepo(db),
    agents: createAgentsRepo(db),
    /** Runs `work` in one transaction: every write that spans rows goes through here. */
    transaction<T>(work: () => T): T {
      return db.transaction(work)();
    },
    close: () => db.close(),
  };
}

export type Store = ReturnType<typeof openStore>;
export type { Db };
