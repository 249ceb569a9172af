import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { contract } from '../../shared/contract';
import type { BudgetAlert } from '../../shared/contract/alerts';
import { startAutoBackups } from './backups/auto-backups';
import { createBackupsService } from './backups/backups-service';
import { createTextExtractor, SOURCE_EXTRACT_WORKER } from './knowledge/extract-text';
import { jsonLogger, type Logger } from './logger';
import { agentHandlers } from './router/handlers/agent-handlers';
import { alertHandlers } from './router/handlers/alert-handlers';
import { aliasHandlers } from './router/handlers/alias-handlers';
import { auditHandlers } from './router/handlers/audit-handlers';
import { backupHandlers } from './router/handlers/backup-handlers';
import { billingHandlers } from './router/handlers/billing-handlers';
import { connectionHandlers } from './router/handlers/connection-handlers';
import { homeHandlers } from './router/handlers/home-handlers';
import { inviteHandlers } from './router/handlers/invite-handlers';
import { knowledgeHandlers } from './router/handlers/knowledge-handlers';
import { memberHandlers } from './router/handlers/member-handlers';
import { orgHandlers } from './router/handlers/org-handlers';
import { policyHandlers } from './router/handlers/policy-handlers';
import { sessionHandlers } from './router/handlers/session-handlers';
import { settingsHandlers } from './router/handlers/settings-handlers';
import { statementHandlers } from './router/handlers/statement-handlers';
import { tokenHandlers } from './router/handlers/token-handlers';
import { transferHandlers } from './router/handlers/transfer-handlers';
import { twoFactorHandlers } from './router/handlers/two-factor-handlers';
import { userHandlers } from './router/handlers/user-handlers';
import { createRouter } from './router/router';
import { scopeFor } from './router/scopes';
import { createAgentsService } from './services/agents-service';
import { createAlertsService } from './services/alerts-service';
import { createAliasesService } from './services/aliases-service';
import { createApiTokensService } from './services/api-tokens-service';
import { createAuditLog } from './services/audit-log';
import { createAuthService } from './services/auth-service';
import { createHomeService } from './services/home-service';
import { createInvitesService } from './services/invites-service';
import { createKnowledgeService } from './services/knowledge-service';
import { createMarginsService } from './services/margins-service';
import { createMembersService } from './services/members-service';
import { createOrgsService } from './services/orgs-service';
import { createPoliciesService } from './services/policies-service';
import { createPricesService } from './services/prices-service';
import { LOCAL_OWNER } from './services/principal';
import type { ReadsElsewhere } from './services/reads-elsewhere';
import { createSettingsService } from './services/settings-service';
import { createSignInLimits } from './services/sign-in-limits';
import { createStatementsService } from './services/statements-service';
import { createTotpSeal } from './services/totp-seal';
import { createTransferService } from './services/transfer-service';
import { createTwoFactorService } from './services/two-factor-service';
import { createUploadsService } from './services/uploads-service';
import { createUsageRewrites } from './services/usage-rewrites';
import { createUsageService } from './services/usage-service';
import { createUsersService } from './services/users-service';
import { type Clock, systemClock } from './store/clock';
import { openPostgresStore, openReadStore, openStore } from './store/store';
import { type ImportRunner, inlinePostgresRunner, inlineRunner, workerRunner } from './usage/import-runner';
import { backendTurns, newWriteTurnsBuffer } from './usage/write-turns';

export interface BackendOptions {
  dataDir: string;
  /**
   * A PostgreSQL database (`postgres://…`) `orgdeck migrate` prepared, instead of the SQLite file in
   * `dataDir`; `dataDir` still holds uploads and the two-factor sealing key.
   */
  database?: string;
  clock?: Clock;
  logger?: Logger;
  /** The built usage-import worker; without one, imports run on the main thread (tests, tools). */
  importWorker?: string | URL;
  /** The built knowledge-extraction worker; without one, the worker runs from the sources (tests, tools). */
  extractWorker?: string | URL;
  /** A daily backup into `<dataDir>/backups` with retention: for the desktop app and `orgdeck serve`. */
  autoBackups?: boolean;
  /** SHA-256 (hex) of the setup code a console printed: first-run setup over HTTP must give it. */
  setupCodeHash?: string;
  /**
   * A reader of a backend host: a read-only connection to a store the writer opened, for the
   * contract's read channels only. It does none of the writer's start-up chores or timers, and
   * hands the one write a read may cause (an API token's last use) to `touchApiToken`.
   */
  reader?: { touchApiToken(id: string, at: string): void };
  /**
   * The writer of a long-running backend (the desktop app, `orgdeck serve`): checks budgets
   * against their alert thresholds at start and every hour, and retries webhook deliveries.
   */
  alertSchedule?: boolean;
  /** Told of each budget alert raised (the desktop app shows a notification). */
  onBudgetAlert?: (alert: BudgetAlert) => void;
  /** The writer's slow reads (a budget check's, an org export's), on another thread: a backend host's reader. */
  readsElsewhere?: ReadsElsewhere;
  /** The webhook's first retry delay (tests shorten it). */
  webhookBackoffMs?: number;
  /**
   * A one-off command (the CLI's, but `serve`): the app or a server may be running beside it on
   * the same store, so an org archive import found under way is theirs, not one a crash cut short.
   */
  oneOff?: boolean;
}

export const DATABASE_FILE = 'orgdeck.db';
const PURGE_EVERY_MS = 6 * 3_600_000;
const ALERTS_EVERY_MS = 3_600_000;
const IDLE_UPLOADS_EVERY_MS = 60_000;

/** The self-hosted backend: the tenant store in `dataDir` and the router every transport calls. */
export function openBackend({
  dataDir,
  database,
  clock = systemClock,
  logger = jsonLogger(),
  importWorker,
  extractWorker = SOURCE_EXTRACT_WORKER,
  autoBackups = false,
  setupCodeHash,
  reader,
  alertSchedule = false,
  onBudgetAlert,
  readsElsewhere,
  webhookBackoffMs,
  oneOff = false,
}: BackendOptions) {
  mkdirSync(dataDir, { recursive: true });
  const dbFile = join(dataDir, DATABASE_FILE);
  // SQLite's usage imports write on connections of their own, taking turns with this one's calls.
  const writeTurns = !database && !reader && importWorker ? newWriteTurnsBuffer() : undefined;
  const store = database
    ? openPostgresStore(database)
    : reader
      ? openReadStore(dbFile, reader.touchApiToken)
      : openStore(dbFile, writeTurns && backendTurns(writeTurns));
  const everyOrg = scopeFor(LOCAL_OWNER, 'billing.read');
  const asServer = (work: () => void) => store.asServer(everyOrg, work);
  const audit = createAuditLog(store, clock);
  const settings = createSettingsService(store, audit, clock);
  const seal = createTotpSeal(dataDir);
  const twoFactor = createTwoFactorService(store, clock, audit, settings, seal);
  // One set of sign-in limits, in the store: a password or code guessed anywhere (any server
  // sharing the database) slows the same account.
  const signInLimits = createSignInLimits(store);
  const auth = createAuthService(
    store,
    clock,
    audit,
    settings,
    twoFactor,
    setupCodeHash ?? null,
    signInLimits,
  );
  const orgs = createOrgsService(store, clock, audit);
  const members = createMembersService(store, clock, audit);
  const users = createUsersService(store, clock, audit, members);
  const invites = createInvitesService(store, clock, audit, members, auth);
  const aliases = createAliasesService(store, clock, audit);
  const rewrites = createUsageRewrites(store, clock, audit);
  const prices = createPricesService(store, clock, audit, rewrites);
  const margins = createMarginsService(store, settings, clock, everyOrg);
  const agents = createAgentsService(store, clock, audit, margins, everyOrg);
  const uploads = createUploadsService(store, join(dataDir, 'uploads'), () => clock.now().getTime());
  const knowledge = createKnowledgeService(store, clock, audit, uploads, createTextExtractor(extractWorker));
  const policies = createPoliciesService(store, clock, audit);
  const transfer = createTransferService(store, clock, audit, uploads, rewrites, {
    everyOrg,
    logger,
    readOrgRowsElsewhere: readsElsewhere?.orgRows,
    // Called at an export, once every service is made.
    closedMonths: {
      mustBeMovable: (orgId) => statements.mustBeMovable(orgId),
      unbilled: (scope, orgId) => statements.unbilled(scope, orgId),
    },
  });
  const apiTokens = createApiTokensService(store, clock, audit, settings, twoFactor, signInLimits);
  const alerts = createAlertsService({
    store,
    clock,
    audit,
    margins,
    everyOrg,
    readBudgetsElsewhere: readsElsewhere?.budgets,
    seal,
    logger,
    onRaised: onBudgetAlert,
    backoffMs: webhookBackoffMs,
  });
  let closed = false;
  /**
   * Logs the failure of background work, unless the backend closed meanwhile: closing cuts short
   * what was queued on the store (a PostgreSQL connection answers "closed"), which is no fault.
   */
  const failed = (what: string) => (error: unknown) => {
    if (!closed) logger.error(what, { error: error instanceof Error ? error.message : String(error) });
  };

  const alertsNotChecked = failed('budget alerts not checked');
  const checkAlerts = () => asServer(() => alerts.check()).catch(alertsNotChecked);
  /** Imports run beside the calls: in the worker when there is one, on a connection of their own. */
  const importRunner = (): ImportRunner => {
    if (store.sqlite)
      return importWorker
        ? workerRunner(importWorker, async () => ({ sqliteFile: dbFile }), writeTurns)
        : inlineRunner(store.sqlite);
    const { url } = store.postgres;
    // Usage may be placed in any org: the import names every org as its rows' (row-level security).
    const target = async () => ({ url, orgIds: await store.asServer(everyOrg, () => store.orgs.ids()) });
    return importWorker
      ? workerRunner(importWorker, async () => ({ postgres: await target() }))
      : inlinePostgresRunner(target);
  };
  const usage = createUsageService({
    store,
    clock,
    audit,
    everyOrg,
    uploads,
    runner: importRunner(),
    rewrites,
    onUsageChanged: checkAlerts,
    logger,
  });
  const statements = createStatementsService(store, clock, audit, settings, margins, rewrites, () =>
    usage.importsRunning(),
  );
  const backups = createBackupsService({
    store,
    clock,
    audit,
    logger,
    dataDir,
    dbFile,
    importsRunning: () => usage.importsRunning(),
    copySnapshotElsewhere: readsElsewhere?.copySnapshot,
  });
  const router = createRouter({
    contract,
    groups: [
      sessionHandlers(auth, apiTokens),
      orgHandlers(orgs),
      userHandlers(users),
      memberHandlers(members),
      inviteHandlers(invites, auth),
      twoFactorHandlers(twoFactor),
      settingsHandlers(settings),
      agentHandlers(agents),
      aliasHandlers(aliases),
      billingHandlers(prices, uploads, usage, margins),
      statementHandlers(statements),
      homeHandlers(createHomeService(store, clock, margins, usage)),
      alertHandlers(alerts),
      knowledgeHandlers(knowledge),
      auditHandlers(audit),
      policyHandlers(policies),
      backupHandlers(backups),
      transferHandlers(transfer),
      tokenHandlers(apiTokens),
      connectionHandlers(),
    ],
    principalFor: (token) => auth.principalFor(token),
    logger,
    inCall: (work) => store.call(work),
  });

  const purge = () =>
    store
      .periodically(everyOrg, () => {
        const purged = orgs.purgeExpired();
        if (purged > 0) logger.info('purged deleted organizations', { count: purged });
      })
      .catch(failed('deleted organizations not purged'));
  let purgeTimer: NodeJS.Timeout | undefined;
  let idleUploadsTimer: NodeJS.Timeout | undefined;
  let resumed: Promise<void> = Promise.resolve();
  if (!reader) {
    // What a restart cut off: its import jobs and uploads are swept at once; its rewrites (an
    // undo's rows, a re-pricing's months) go on beside the calls, as they ran before it. Finishing
    // them first kept a host from answering anything, reads too, for as long as they took.
    resumed = store
      .asServer(everyOrg, async () => {
        const rewritten = rewrites.resumeAtStart({ archiveImportsCutShort: !oneOff });
        usage.interruptOrphans();
        uploads.removeStale();
        await rewritten;
      })
      .catch(failed('start-up chores failed'));
    void purge();
    purgeTimer = setInterval(purge, PURGE_EVERY_MS);
    purgeTimer.unref();
    // Every server sweeps: one statement, which two servers may run at once.
    idleUploadsTimer = setInterval(
      () => asServer(() => uploads.dropIdle()).catch(failed('idle uploads not dropped')),
      IDLE_UPLOADS_EVERY_MS,
    );
    idleUploadsTimer.unref();
  }
  const dailyBackups = autoBackups && !reader ? startAutoBackups(backups, logger) : undefined;
  let alertsTimer: NodeJS.Timeout | undefined;
  let firstCheck: NodeJS.Timeout | undefined;
  if (alertSchedule && !reader) {
    const round = () =>
      store
        .periodically(everyOrg, async () => {
          await alerts.check();
          void alerts.deliverDue();
        })
        .catch(alertsNotChecked);
    // After start-up, not during it: the window and the first calls come first.
    firstCheck = setTimeout(round, 0);
    firstCheck.unref();
    alertsTimer = setInterval(round, ALERTS_EVERY_MS);
    alertsTimer.unref();
  }

  return {
    router,
    store,
    logger,
    /** The server's own scope, every org: for its own work on the store (Store.asServer). */
    everyOrg,
    services: { orgs, usage, audit, backups, auth, alerts, transfer },
    /** Settles once the rewrites a restart cut off are finished (or failed, logged), or at once. */
    resumed,
    /**
     * Told before a backend host's readers close: work this writer would hand them (a backup's
     * copy) is not started over here, and a daily backup cut short by them is no failure.
     */
    closing: () => backups.close(),
    close: () => {
      closed = true;
      clearInterval(purgeTimer);
      clearInterval(idleUploadsTimer);
      usage.close();
      clearTimeout(firstCheck);
      clearInterval(alertsTimer);
      alerts.close();
      dailyBackups?.stop();
      backups.close();
      store.close();
    },
  };
}

export type Backend = ReturnType<typeof openBackend>;
