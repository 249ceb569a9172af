import { createHmac } from 'node:crypto';
import type { BudgetAlert } from '../../../shared/contract/alerts';
import { AppError } from '../../../shared/contract/envelope';
import { budgetUse } from '../../../shared/domain/forecast';
import { monthOf } from '../../../shared/domain/months';
import { wholePercent } from '../../../shared/domain/percent';
import type { Logger } from '../logger';
import type { Clock } from '../store/clock';
import type { OrgScope } from '../store/org-scope';
import type { AlertKind, BudgetAlertRow, WebhookDeliveryRow } from '../store/repos/budget-alerts-repo';
import type { Store } from '../store/store';
import type { AuditLog } from './audit-log';
import type { MarginsService } from './margins-service';
import type { Principal } from './principal';
import { readHandedOff } from './reads-elsewhere';
import type { TotpSeal } from './totp-seal';

/** The settings key of the webhook: its URL and its signing secret, sealed like TOTP seeds. */
const WEBHOOK_KEY = 'alertWebhook';
interface StoredWebhook {
  url: string;
  sealedSecret: string | null;
}

/** Attempts before a delivery is given up (failed): the first, then retries after 1, 2, 4, 8, 16 × the backoff. */
export const MAX_ATTEMPTS = 6;
const REQUEST_TIMEOUT_MS = 10_000;
/**
 * How long a claimed delivery stays its server's: well past one request's timeout, so no other
 * server sends it meanwhile, and not so long that one that died holding it delays it much.
 */
const CLAIM_MS = 5 * 60_000;
/**
 * How far under its threshold's amount (in percent of it) a raised forecast alert's forecast must
 * fall to resolve it. Between imports the cost so far stands still while the month runs out, so
 * the forecast sinks by a day's run rate through a day and climbs back at the next import. For an
 * org that spends steadily the forecast is about a month of that rate, so a day's sink is about a
 * thirtieth of it, 3.3 %, at any threshold: 5 % of the amount holds the alert through the day.
 */
const FORECAST_RECOVERY_PERCENT = 5n;

export interface AlertsOptions {
  store: Store;
  clock: Clock;
  audit: AuditLog;
  margins: MarginsService;
  /** Every org: the hourly check and imports look at all budgets, whoever caused them. */
  everyOrg: OrgScope;
  /**
   * Reads the budgets (`readBudgets` of a backend on another connection) off this thread: in the
   * backend host, the writer's check has a reader sum the month, which at 10M usage rows takes
   * seconds that every write would otherwise wait. Without it (or if it fails) the check reads here.
   */
  readBudgetsElsewhere?: (at: number) => Promise<BudgetReading[]>;
  seal: TotpSeal;
  logger: Logger;
  /** Told of each alert raised (the desktop shows it as a notification). */
  onRaised?: (alert: BudgetAlert) => void;
  /** The first retry's delay; each next one doubles it. */
  backoffMs?: number;
  /** How a delivery is sent (fetch; a test may watch it). */
  send?: typeof fetch;
}

const MONTH_NAMES = new Intl.DateTimeFormat('en-US', { month: 'long', timeZone: 'UTC' });
const SHORT_DAY = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

function messageOf(row: BudgetAlertRow, orgName: string): string {
  const month = MONTH_NAMES.format(new Date(`${row.month}-01T00:00:00Z`));
  const use = wholePercent(Number(row.budget_use));
  if (row.kind === 'actual')
    return `${orgName}: ${use} of the ${month} budget used (alert at ${row.threshold}%)`;
  const day = row.reached_on ? SHORT_DAY.format(new Date(`${row.reached_on}T00:00:00Z`)) : 'this month';
  const what = row.threshold === 100 ? 'exceed its budget' : `reach ${row.threshold}% of its budget`;
  return `${orgName} will ${what} on ${day} at this pace (forecast ${use} of the ${month} budget)`;
}

/** A month's alerts by org, each found by its threshold and kind (one row each, by the table's key). */
function alertsByOrg(rows: BudgetAlertRow[]) {
  const byOrg = new Map<string, BudgetAlertRow[]>();
  for (const row of rows) {
    const ofOrg = byOrg.get(row.org_id);
    if (ofOrg) ofOrg.push(row);
    else byOrg.set(row.org_id, [row]);
  }
  return (orgId: string, threshold: number, kind: AlertKind) =>
    byOrg.get(orgId)?.find((row) => row.threshold === threshold && row.kind === kind);
}

/**
 * An org's budget as a check reads it: what it cost so far this month and, per alert threshold,
 * the month's forecast against the threshold's share of the budget. Plain data (pico-USD), so
 * another thread can read it for the one that writes the alerts.
 */
export interface BudgetReading {
  orgId: string;
  budget: bigint;
  cost: bigint;
  thresholds: {
    threshold: number;
    /** The threshold's share of the budget. */
    limit: bigint;
    forecastCost: bigint;
    /** When the forecast reaches the limit (epoch ms), null when it does not this month. */
    crossesAt: number | null;
  }[];
}

/**
 * Where a webhook posts, as the audit trail names it: its origin only. An incoming-webhook address
 * (Slack, Teams, Discord) carries its own secret in the path, and the trail is read by admins, who
 * may not read the webhook itself.
 */
const webhookOrigin = (url: string | null): string | null => (url === null ? null : new URL(url).origin);

export function createAlertsService({
  store,
  clock,
  audit,
  margins,
  everyOrg,
  readBudgetsElsewhere,
  seal,
  logger,
  onRaised,
  backoffMs = 30_000,
  send = fetch,
}: AlertsOptions) {
  function toAlert(row: BudgetAlertRow): BudgetAlert | null {
    const org = store.orgs.get(everyOrg, row.org_id);
    if (!org) return null;
    return {
      id: row.id,
      org: { id: org.id, slug: org.slug, name: org.name },
      month: row.month,
      threshold: row.threshold,
      kind: row.kind,
      budget_use: Number(row.budget_use),
      reached_on: row.reached_on,
      message: messageOf(row, org.name),
      raised_at: row.raised_at,
      resolved_at: row.resolved_at,
    };
  }

  function webhook(): StoredWebhook | null {
    const stored = store.settings.all()[WEBHOOK_KEY] as StoredWebhook | null | undefined;
    return stored?.url ? stored : null;
  }

  let timer: NodeJS.Timeout | undefined;
  let delivering: Promise<void> | undefined;

  /** Wakes the dispatcher when the next pending delivery is due. */
  async function scheduleNext(): Promise<void> {
    clearTimeout(timer);
    const next = await store.asServer(everyOrg, () => store.budgetAlerts.nextDueAt());
    if (next === null) return;
    timer = setTimeout(() => void deliverDue(), Math.max(0, Date.parse(next) - clock.now().getTime()));
    timer.unref();
  }

  /**
   * The store work of a webhook round runs outside router calls (a timer's, or after a check's
   * call): each step a short call of its own that sees every org, so no request waits on a
   * webhook's answer (on PostgreSQL a call is a transaction, and row-level security hides every
   * org's deliveries outside one).
   */
  const recordAttempt = (attempt: Parameters<typeof store.budgetAlerts.recordAttempt>[0]) =>
    store.asServer(everyOrg, () => store.budgetAlerts.recordAttempt(attempt));

  /**
   * One try of a delivery, signed with the secret. When this server cannot open the secret (its
   * seal key is not the one it was sealed with, a locked keychain) nothing is sent and no attempt
   * counted: the delivery says why and waits the backoff, for a server that can (or for the owner
   * to set the secret again here), rather than be given up or left pending unsaid.
   */
  async function attempt(
    delivery: WebhookDeliveryRow,
    url: string,
    secret: { opened: string } | { failed: unknown },
  ) {
    if ('failed' in secret) {
      const why = secret.failed instanceof Error ? secret.failed.message : String(secret.failed);
      await recordAttempt({
        id: delivery.id,
        url: delivery.url,
        status: 'pending',
        attempts: delivery.attempts,
        last_status: null,
        last_error: `The signing secret cannot be opened on this server (${why}): set the webhook's secret again here.`,
        next_attempt_at: new Date(clock.now().getTime() + backoffMs).toISOString(),
        delivered_at: null,
      });
      return;
    }
    let status: number | null = null;
    let error: string | null = null;
    try {
      status = await post(delivery.body, url, secret.opened);
      if (status < 200 || status > 299) error = `The server answered HTTP ${status}`;
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    }
    await recordOutcome(delivery, url, status, error);
  }

  /** POSTs `body` to `url` signed with `secret`; the answer's status. */
  async function post(body: string, url: string, secret: string): Promise<number> {
    const signature = createHmac('sha256', secret).update(body).digest('hex');
    const response = await send(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Orgdeck',
        'x-orgdeck-signature': `sha256=${signature}`,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.status;
  }

  /** A try's outcome: delivered, to be tried again after the backoff, or given up after the last. */
  async function recordOutcome(
    delivery: WebhookDeliveryRow,
    url: string,
    status: number | null,
    error: string | null,
  ) {
    const attempts = delivery.attempts + 1;
    const now = clock.now().getTime();
    const done = error === null;
    const givenUp = !done && attempts >= MAX_ATTEMPTS;
    await recordAttempt({
      id: delivery.id,
      url,
      status: done ? 'delivered' : givenUp ? 'failed' : 'pending',
      attempts,
      last_status: status,
      last_error: error,
      next_attempt_at: done || givenUp ? null : new Date(now + backoffMs * 2 ** (attempts - 1)).toISOString(),
      delivered_at: done ? new Date(now).toISOString() : null,
    });
    if (givenUp) logger.error('budget alert webhook gave up', { delivery: delivery.id, error });
  }

  /**
   * Sends each delivery that is due, once: each is claimed first (budgetAlerts.claimDue), so a
   * server sharing the database and sending at the same time takes others. One try per delivery
   * per round, in id order.
   */
  async function sendDue(): Promise<void> {
    try {
      // Sent where the webhook points now, not where it pointed when the alert was queued: the
      // secret is the current one, and an endpoint replaced must not get bodies signed with it.
      const hook = await store.asServer(everyOrg, () => webhook());
      // Opened once there is something to sign (the seal may ask the OS keychain).
      let secret: Promise<string> | undefined;
      for (let after = 0; ; ) {
        const now = clock.now().getTime();
        const delivery = await store.asServer(everyOrg, () =>
          store.budgetAlerts.claimDue(
            new Date(now).toISOString(),
            after,
            new Date(now + CLAIM_MS).toISOString(),
          ),
        );
        if (!delivery) return;
        after = delivery.id;
        if (!hook?.sealedSecret)
          await recordAttempt({
            id: delivery.id,
            url: delivery.url,
            status: 'failed',
            attempts: delivery.attempts,
            last_status: null,
            last_error: 'The webhook was removed, or has no signing secret',
            next_attempt_at: null,
            delivered_at: null,
          });
        else {
          secret ??= seal.open(hook.sealedSecret);
          await attempt(
            delivery,
            hook.url,
            await secret.then(
              (opened) => ({ opened }),
              (failed: unknown) => ({ failed }),
            ),
          );
        }
      }
    } catch (error) {
      logger.error('budget alert webhook failed', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** Sends every delivery that is due, one at a time, then sleeps until the next one is. */
  function deliverDue(): Promise<void> {
    // Cleared once settled (a microtask later), so a round that had nothing to send never sticks.
    delivering ??= sendDue().finally(() => {
      delivering = undefined;
      return scheduleNext().catch((error) =>
        logger.error('budget alert webhook not scheduled', {
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    });
    return delivering;
  }

  /** Every budgeted org's reading at `at` (epoch ms), from this backend's connection. */
  function budgetsAt(at: number): BudgetReading[] {
    return margins.budgetOutlook(everyOrg, at).map(({ org, budget, cost, forecast }) => ({
      orgId: org.id,
      budget,
      cost,
      thresholds: (JSON.parse(org.alert_thresholds) as number[]).map((threshold) => {
        // Budgets are whole micro-dollars: a percentage of one in pico-dollars is exact.
        const limit = (budget * BigInt(threshold)) / 100n;
        const ahead = forecast(limit);
        return { threshold, limit, forecastCost: ahead.cost, crossesAt: ahead.crossesBudgetAt };
      }),
    }));
  }

  /** The budgets read here, as the server's own work (every org): what a reader answers `readBudgetsElsewhere` with. */
  const readBudgets = (at: number) => store.asServer(everyOrg, () => budgetsAt(at));

  /**
   * Compares every org's budget with its thresholds now, on the cost so far (actual) and on the
   * month's forecast (while the cost so far is under the threshold). An alert is raised once per
   * org, month, threshold and kind; resolved when use falls back under; raised again if it climbs
   * back. Raised and resolved alerts are queued for the webhook in the same transaction; an alert
   * another server's check raised or resolved meanwhile is not queued twice. With
   * `readBudgetsElsewhere`, the budgets are read on another thread first and only the alerts are
   * written here; without it, all of it runs here at once, as the caller's one unit of work.
   */
  async function check() {
    const at = clock.now().getTime();
    const handedOff =
      readBudgetsElsewhere && (await readHandedOff(store, logger, 'budgets', () => readBudgetsElsewhere(at)));
    return record(at, handedOff ? handedOff.value : budgetsAt(at));
  }

  function record(at: number, read: BudgetReading[]) {
    const now = new Date(at).toISOString();
    const month = monthOf(at);
    const hook = webhook();
    const raised: number[] = [];
    const resolved: number[] = [];
    store.writeTransaction(() => {
      const existing = store.budgetAlerts.ofMonth(month);
      const alertOf = alertsByOrg(existing);
      const checked = new Set<number>();
      for (const { orgId, budget, cost, thresholds } of read) {
        for (const { threshold, limit, forecastCost, crossesAt } of thresholds) {
          // No cost reaches nothing, even a budget of zero.
          const reaches = (value: bigint) => value > 0n && value >= limit;
          const actual = reaches(cost);
          const forecastRow = alertOf(orgId, threshold, 'forecast');
          const recoveredUnder = (limit * (100n - FORECAST_RECOVERY_PERCENT)) / 100n;
          const forecastStays =
            forecastRow !== undefined &&
            forecastRow.resolved_at === null &&
            forecastCost > 0n &&
            forecastCost >= recoveredUnder;
          const states: { kind: AlertKind; on: boolean; use: number | null; reachedOn: string | null }[] = [
            { kind: 'actual', on: actual, use: budgetUse(cost, budget), reachedOn: null },
            {
              kind: 'forecast',
              on: !actual && (reaches(forecastCost) || forecastStays),
              use: budgetUse(forecastCost, budget),
              // Held open by the margin alone, the forecast crosses nothing: the day it was due stays.
              reachedOn:
                crossesAt !== null
                  ? new Date(crossesAt).toISOString().slice(0, 10)
                  : (forecastRow?.reached_on ?? null),
            },
          ];
          for (const state of states) {
            const row = alertOf(orgId, threshold, state.kind);
            if (row) checked.add(row.id);
            const use = String(state.use ?? 0);
            if (state.on && (!row || row.resolved_at !== null)) {
              const id = store.budgetAlerts.raise({
                org_id: orgId,
                month,
                threshold,
                kind: state.kind,
                budget_use: use,
                reached_on: state.reachedOn,
                raised_at: now,
              });
              if (id !== undefined) raised.push(id);
            } else if (state.on && row) store.budgetAlerts.note(row.id, use, state.reachedOn);
            else if (row && row.resolved_at === null && store.budgetAlerts.resolve(row.id, use, now))
              resolved.push(row.id);
          }
        }
      }
      // Open alerts no longer checked (the budget or the threshold removed, the org deleted) are resolved.
      for (const row of existing) {
        if (checked.has(row.id) || row.resolved_at !== null) continue;
        if (store.budgetAlerts.resolve(row.id, row.budget_use, now)) resolved.push(row.id);
      }
      // A month that ended with alerts open: they ended with it (a receiver's incident closes).
      for (const row of store.budgetAlerts.openBefore(month))
        if (store.budgetAlerts.resolve(row.id, row.budget_use, now)) resolved.push(row.id);
      if (hook) {
        for (const [event, ids] of [
          ['raised', raised],
          ['resolved', resolved],
        ] as const) {
          for (const id of ids) {
            const row = store.budgetAlerts.get(id);
            const alert = row && toAlert(row);
            if (!row || !alert) continue;
            store.budgetAlerts.enqueueDelivery({
              org_id: row.org_id,
              alert_id: id,
              event,
              url: hook.url,
              body: JSON.stringify({ event: `budget_alert.${event}`, alert, sent_at: now }),
              created_at: now,
            });
          }
        }
      }
    });
    for (const id of raised) {
      const row = store.budgetAlerts.get(id);
      const alert = row && toAlert(row);
      if (alert) onRaised?.(alert);
    }
    if (hook && raised.length + resolved.length > 0) void deliverDue();
    const open = store.budgetAlerts.countOpen(month);
    return { raised: raised.length, resolved: resolved.length, open };
  }

  function mustBeOwner(actor: Principal): void {
    if (actor.role !== 'owner')
      throw new AppError('FORBIDDEN', 'Only an owner sees and sets the alert webhook.');
  }

  const webhookSettings = () => {
    const hook = webhook();
    return { url: hook?.url ?? null, has_secret: Boolean(hook?.sealedSecret) };
  };

  return {
    check,
    /** What a reader of a backend host answers a writer's `readBudgetsElsewhere` with. */
    readBudgets,
    deliverDue,
    /**
     * The webhook deliveries under way, once sent and recorded: what a one-off command waits for
     * before it closes the store, or a delivery it claimed would stay pending and be sent again.
     */
    settled: (): Promise<void> => delivering ?? Promise.resolve(),
    list(scope: OrgScope, filter: { status: 'open' | 'all'; month?: string; org?: string }): BudgetAlert[] {
      if (filter.org && !store.orgs.get(scope, filter.org))
        throw new AppError('NOT_FOUND', 'No such organization.');
      const month = filter.month ?? (filter.status === 'open' ? monthOf(clock.now().getTime()) : null);
      return store.budgetAlerts
        .list(scope, { org: filter.org ?? null, month, open: filter.status === 'open' })
        .flatMap((row) => toAlert(row) ?? []);
    },
    webhook(actor: Principal) {
      mustBeOwner(actor);
      return webhookSettings();
    },
    async setWebhook(actor: Principal, input: { url: string | null; secret?: string }) {
      mustBeOwner(actor);
      const before = webhook();
      if (input.url !== null && !input.secret && !before?.sealedSecret)
        throw new AppError('VALIDATION', 'A new webhook needs a signing secret.', {
          issues: [{ path: ['secret'], message: 'Give a signing secret of at least 16 characters' }],
        });
      const sealedSecret =
        input.url === null
          ? null
          : input.secret
            ? await seal.seal(input.secret)
            : (before?.sealedSecret ?? null);
      store.transaction(() => {
        store.settings.set(WEBHOOK_KEY, input.url === null ? null : { url: input.url, sealedSecret });
        audit.record(actor, {
          action: 'settings.changed',
          orgId: null,
          target: { type: 'settings', id: 'alert-webhook' },
          summary: {
            before: { alertWebhook: webhookOrigin(before?.url ?? null) },
            after: {
              alertWebhook: webhookOrigin(input.url),
              ...(input.url !== null && input.url !== before?.url ? { webhookPath: 'replaced' } : {}),
              ...(input.secret ? { signingSecret: 'replaced' } : {}),
            },
          },
        });
      });
      return webhookSettings();
    },
    deliveries(actor: Principal) {
      mustBeOwner(actor);
      return store.budgetAlerts.deliveries().map(({ body: _body, org_id, ...row }) => {
        const org = store.orgs.get(everyOrg, org_id);
        return { ...row, org: org ? { id: org.id, slug: org.slug, name: org.name } : null };
      });
    },
    close: () => clearTimeout(timer),
  };
}

export type AlertsService = ReturnType<typeof createAlertsService>;
