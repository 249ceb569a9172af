import { AppError } from '../../../shared/contract/envelope';
import type { BackendTurns } from '../usage/write-turns';
import { openDatabase, openReadConnection, type SqliteDb, WAL_CUT_EVERY_MS, walKeeper } from './database';
import type { Db } from './engine';
import type { OrgScope } from './org-scope';
import { openPostgresConnection } from './postgres/connection';
import type { PgDb } from './postgres/pg-db';
import { createAgentAliasesRepo } from './repos/agent-aliases-repo';
import { createAgentsRepo } from './repos/agents-repo';
import { createApiTokensRepo } from './repos/api-tokens-repo';
import { createArchiveImportsRepo } from './repos/archive-imports-repo';
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
import { createSignInFailuresRepo } from './repos/sign-in-failures-repo';
import { createLogosRepo, createStatementsRepo } from './repos/statements-repo';
import { createTransferRepo } from './repos/transfer-repo';
import { createUploadsRepo } from './repos/uploads-repo';
import { createUsageRepo } from './repos/usage-repo';
import { createUsageUndosRepo } from './repos/usage-undos-repo';
import { createUsersRepo } from './repos/users-repo';

/**
 * The tenant store: one writer connection and the repositories, the only place with SQL. With
 * `turns`, each call waits its turn at the write lock with the usage imports' connections.
 */
export function openStore(file: string, turns?: BackendTurns): Store {
  const sqlite = openDatabase(file);
  const store = storeOn(sqlite, { sqlite, postgres: null });
  // On a timer, not per call: the connection writes outside calls too (the rewrites' steps, the
  // largest writers of the log), and its thread is free between their writes.
  const wal = walKeeper(sqlite);
  const lookAtWal = setInterval(wal.look, WAL_CUT_EVERY_MS);
  lookAtWal.unref();
  const close = () => {
    clearInterval(lookAtWal);
    store.close();
  };
  const writer = { ...store, close, logBehind: wal.behind };
  if (!turns) return writer;
  return {
    ...writer,
    call<T>(work: (enter: (scope: OrgScope) => void) => Promise<T>): Promise<T> {
      return turns.around(() => store.call(work));
    },
  };
}

/** The same store on a PostgreSQL database `orgdeck migrate` brought to this version. */
export function openPostgresStore(url: string): Store {
  const postgres = openPostgresConnection(url);
  return storeOn(postgres, { sqlite: null, postgres });
}

/**
 * The same repositories on a read-only connection, for a backend host's readers. The one write a
 * read may cause (noting when an API token was last used) is handed to `touchApiToken`, which
 * passes it to the writer.
 */
export function openReadStore(file: string, touchApiToken: (id: string, at: string) => void): Store {
  const sqlite = openReadConnection(file);
  const store = storeOn(sqlite, { sqlite, postgres: null });
  return {
    ...store,
    apiTokens: { ...store.apiTokens, touch: (id: string, at: string) => void touchApiToken(id, at) },
  };
}

/** The connection under the repositories: engine-specific work (backups, imports) asks which. */
type Engine = { sqlite: SqliteDb; postgres: null } | { sqlite: null; postgres: PgDb };

function storeOn(db: Db, engine: Engine) {
  return {
    /** The connection the repositories use, whichever the engine. */
    db,
    ...engine,
    orgs: createOrgsRepo(db),
    users: createUsersRepo(db),
    memberships: createMembershipsRepo(db),
    invites: createInvitesRepo(db),
    recoveryCodes: createRecoveryCodesRepo(db),
    sessions: createSessionsRepo(db),
    apiTokens: createApiTokensRepo(db),
    knownDevices: createKnownDevicesRepo(db),
    signInFailures: createSignInFailuresRepo(db),
    settings: createSettingsRepo(db),
    audit: createAuditRepo(db),
    agents: createAgentsRepo(db),
    agentAliases: createAgentAliasesRepo(db),
    orgActivity: createOrgActivityRepo(db),
    prices: createPricesRepo(db),
    usage: createUsageRepo(db),
    usageUndos: createUsageUndosRepo(db),
    archiveImports: createArchiveImportsRepo(db),
    billingRevision: createBillingRevision(db),
    billingTerms: createBillingTermsRepo(db),
    jobs: createJobsRepo(db),
    knowledge: createKnowledgeRepo(db),
    policies: createPoliciesRepo(db),
    transfer: createTransferRepo(db),
    statements: createStatementsRepo(db),
    logos: createLogosRepo(db),
    budgetAlerts: createBudgetAlertsRepo(db),
    uploads: createUploadsRepo(db),
    /**
     * One router call. On PostgreSQL it is one transaction, which sees no org's rows until the
     * router enters the scope it minted (row-level security); on SQLite, OrgScope alone guards.
     */
    call<T>(work: (enter: (scope: OrgScope) => void) => Promise<T>): Promise<T> {
      return engine.postgres ? engine.postgres.call(work) : work(() => {});
    },
    /**
     * Slow work inside a call that needs no store (extracting a file's text): on PostgreSQL the
     * call commits what it wrote so far and lets other calls run meanwhile, then goes on in a new
     * transaction (PgDb.outsideCall); on SQLite, whose calls hold no transaction, it just runs.
     */
    outsideCall<T>(work: () => Promise<T>): Promise<T> {
      return engine.postgres ? engine.postgres.outsideCall(work) : work();
    },
    /**
     * A pause between the units of a long call (a month's statements, an import and its
     * re-pricing): other calls run for a turn of the event loop, and on PostgreSQL the call commits
     * what it wrote so far first, so the rows it locked (a year's statement number, the audit
     * trail's head) are held for one unit, not the whole call.
     */
    letOthersIn(): Promise<void> {
      return this.outsideCall(() => new Promise((resolve) => setImmediate(resolve)));
    },
    /**
     * The server's own work (start-up chores, timers, webhook bookkeeping) as a call of its own,
     * in `scope` (every org, minted by the caller), taking its turn between router calls.
     */
    asServer<T>(scope: OrgScope, work: () => T | Promise<T>): Promise<T> {
      return this.call(async (enter) => {
        enter(scope);
        return work();
      });
    },
    /**
     * A synchronous step of the current call that reads as the server does, in `scope` (every org,
     * minted by the caller): for what the server keeps for every caller (the billing snapshot), not
     * for answers. On PostgreSQL a savepoint naming the scope's orgs, the call's own named again
     * before the call goes on, even when the step throws (PgDb.inScope): asServer inside a call
     * names them again only after an await, while the call's next reads would see every org. On
     * SQLite, where OrgScope alone guards and such reads take no scope, it just runs.
     */
    readAsServer<T>(scope: OrgScope, work: () => T): T {
      return engine.postgres ? engine.postgres.inScope(scope, work) : work();
    },
    /**
     * Periodic work (purging deleted orgs, alert rounds): servers sharing a PostgreSQL database do
     * it once, on the one that leads (PgDb.leadsPeriodicWork); the others skip the round.
     */
    async periodically(scope: OrgScope, work: () => void | Promise<void>): Promise<void> {
      await this.asServer(scope, async () => {
        if (!engine.postgres || engine.postgres.leadsPeriodicWork()) await work();
      });
    },
    /**
     * Reads what resolving a caller takes (their memberships and the orgs those name) as that
     * user: on PostgreSQL, before the router names the call's orgs, row-level security shows a
     * user only their own memberships, and only while the store names them.
     */
    asUser<T>(userId: string, work: () => T): T {
      return engine.postgres ? engine.postgres.asUser(userId, work) : work();
    },
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
    /**
     * Whether the writer's write-ahead log has outgrown its checkpoints (walKeeper): long rewrites
     * pause between writes until it has not. Only a SQLite writer's store keeps its log.
     */
    logBehind: (): boolean => false,
    close: () => db.close(),
  };
}

export type Store = ReturnType<typeof storeOn>;

/** Why a PostgreSQL store has no Orgdeck backups, and what to use. */
export const BACKUPS_ON_POSTGRES =
  'This server keeps its data in PostgreSQL: back it up with the database’s own tools (pg_dump, point-in-time recovery; see the README).';

/**
 * The SQLite connection, for what only a SQLite store does: its online backups (and tools reading
 * a SQLite store directly). On PostgreSQL the answer says what to do instead.
 */
export function sqliteOf(store: Store): SqliteDb {
  if (store.sqlite) return store.sqlite;
  throw new AppError('UNAVAILABLE', BACKUPS_ON_POSTGRES);
}
