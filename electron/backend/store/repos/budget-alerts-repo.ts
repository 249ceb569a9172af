import { type Db, onPostgres } from '../engine';
import type { OrgScope } from '../org-scope';

export type AlertKind = 'actual' | 'forecast';

export interface BudgetAlertRow {
  id: number;
  org_id: string;
  month: string;
  threshold: number;
  kind: AlertKind;
  budget_use: string;
  reached_on: string | null;
  raised_at: string;
  resolved_at: string | null;
}

export interface WebhookDeliveryRow {
  id: number;
  org_id: string;
  alert_id: number;
  event: 'raised' | 'resolved';
  url: string;
  body: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  delivered_at: string | null;
}

const IN_SCOPE = '(:scope IS NULL OR org_id IN (SELECT value FROM json_each(:scope)))';

export function createBudgetAlertsRepo(db: Db) {
  const ofMonth = db.prepare<{ month: string }, BudgetAlertRow>(
    'SELECT * FROM budget_alerts WHERE month = :month',
  );
  const openBefore = db.prepare<{ month: string }, BudgetAlertRow>(
    'SELECT * FROM budget_alerts WHERE month < :month AND resolved_at IS NULL ORDER BY id',
  );
  const list = db.prepare<
    { scope: string | null; org: string | null; month: string | null; open: 0 | 1 },
    BudgetAlertRow
  >(
    `SELECT * FROM budget_alerts
     WHERE ${IN_SCOPE} AND (:org IS NULL OR org_id = :org) AND (:month IS NULL OR month = :month)
       AND (:open = 0 OR resolved_at IS NULL)
     ORDER BY raised_at DESC, id DESC LIMIT 500`,
  );
  const countOpen = db
    .prepare<{ month: string }, number>(
      'SELECT count(*) FROM budget_alerts WHERE month = :month AND resolved_at IS NULL',
    )
    .pluck();
  const raise = db.prepare<Omit<BudgetAlertRow, 'id' | 'resolved_at'>, { id: number }>(
    `INSERT INTO budget_alerts (org_id, month, threshold, kind, budget_use, reached_on, raised_at)
     VALUES (:org_id, :month, :threshold, :kind, :budget_use, :reached_on, :raised_at)
     ON CONFLICT (org_id, month, threshold, kind) DO UPDATE SET
       budget_use = excluded.budget_use, reached_on = excluded.reached_on,
       raised_at = excluded.raised_at, resolved_at = NULL
     WHERE budget_alerts.resolved_at IS NOT NULL
     RETURNING id`,
  );
  const note = db.prepare<{ id: number; budget_use: string; reached_on: string | null }>(
    'UPDATE budget_alerts SET budget_use = :budget_use, reached_on = :reached_on WHERE id = :id',
  );
  const resolve = db.prepare<{ id: number; budget_use: string; at: string }>(
    'UPDATE budget_alerts SET resolved_at = :at, budget_use = :budget_use WHERE id = :id AND resolved_at IS NULL',
  );
  const byId = db.prepare<{ id: number }, BudgetAlertRow>('SELECT * FROM budget_alerts WHERE id = :id');

  const enqueue = db.prepare<
    Pick<WebhookDeliveryRow, 'org_id' | 'alert_id' | 'event' | 'url' | 'body' | 'created_at'>
  >(
    `INSERT INTO webhook_deliveries (org_id, alert_id, event, url, body, status, next_attempt_at, created_at)
     VALUES (:org_id, :alert_id, :event, :url, :body, 'pending', :created_at, :created_at)`,
  );
  // One statement takes the next due delivery and moves it past its sending: a server running the
  // same claim at once gets another delivery or none, never this one. PostgreSQL's readers must
  // also pass over a row another server is claiming; SQLite has one writer at a time.
  const claim = db.prepare<{ now: string; after: number; until: string }, WebhookDeliveryRow>(
    `UPDATE webhook_deliveries SET next_attempt_at = :until
     WHERE status = 'pending' AND next_attempt_at <= :now
       AND id = (SELECT id FROM webhook_deliveries
                 WHERE status = 'pending' AND next_attempt_at <= :now AND id > :after
                 ORDER BY id LIMIT 1${onPostgres(db) ? ' FOR UPDATE SKIP LOCKED' : ''})
     RETURNING *`,
  );
  const nextDue = db
    .prepare<[], string | null>(
      "SELECT min(next_attempt_at) FROM webhook_deliveries WHERE status = 'pending'",
    )
    .pluck();
  const attempted = db.prepare<
    Pick<
      WebhookDeliveryRow,
      'id' | 'url' | 'status' | 'attempts' | 'last_status' | 'last_error' | 'next_attempt_at' | 'delivered_at'
    >
  >(
    `UPDATE webhook_deliveries SET url = :url, status = :status, attempts = :attempts, last_status = :last_status,
       last_error = :last_error, next_attempt_at = :next_attempt_at, delivered_at = :delivered_at
     WHERE id = :id`,
  );
  const deliveries = db.prepare<{ limit: number }, WebhookDeliveryRow>(
    'SELECT * FROM webhook_deliveries ORDER BY id DESC LIMIT :limit',
  );

  return {
    /** Every alert of a month (UTC "YYYY-MM"), open or resolved: what a check compares against. */
    ofMonth: (month: string) => ofMonth.all({ month }),
    /** Alerts of months before `month` still open. */
    openBefore: (month: string) => openBefore.all({ month }),
    /** The scope's alerts (of one org, or all it sees), newest first: of one month or all, open only or all. */
    list: (scope: OrgScope, filter: { org: string | null; month: string | null; open: boolean }) =>
      list.all({ scope: scope.sqlParam, org: filter.org, month: filter.month, open: filter.open ? 1 : 0 }),
    /** How many alerts of a month are open, every org's. */
    countOpen: (month: string) => countOpen.get({ month }) ?? 0,
    get: (id: number) => byId.get({ id }),
    /**
     * Raises an alert, or raises a resolved one again; returns its id, or undefined when it is open
     * already: another server's check, reading it absent or resolved at the same time, raised it.
     */
    raise: (row: Omit<BudgetAlertRow, 'id' | 'resolved_at'>) => raise.get(row)?.id,
    /** An open alert's latest figures, no new event. */
    note: (id: number, budgetUse: string, reachedOn: string | null) =>
      void note.run({ id, budget_use: budgetUse, reached_on: reachedOn }),
    /**
     * Resolves an open alert; false when it was resolved already, by another server's check that
     * read it open at the same time as this one (PostgreSQL re-reads a row it waited on).
     */
    resolve: (id: number, budgetUse: string, at: string) =>
      resolve.run({ id, budget_use: budgetUse, at }).changes > 0,

    enqueueDelivery: (
      row: Pick<WebhookDeliveryRow, 'org_id' | 'alert_id' | 'event' | 'url' | 'body' | 'created_at'>,
    ) => void enqueue.run(row),
    /**
     * The first delivery after id `after` that is due at `now`, claimed until `until` (its
     * next_attempt_at): no other claim takes it before then, so it is sent once. A server that
     * died while sending leaves it due again after `until`.
     */
    claimDue: (now: string, after: number, until: string) => claim.get({ now, after, until }),
    /** When the next pending delivery is due, if any. */
    nextDueAt: () => nextDue.get() ?? null,
    /** A try's outcome, with the URL it went to (the webhook's at the time: it may have moved). */
    recordAttempt: (
      row: Pick<
        WebhookDeliveryRow,
        | 'id'
        | 'url'
        | 'status'
        | 'attempts'
        | 'last_status'
        | 'last_error'
        | 'next_attempt_at'
        | 'delivered_at'
      >,
    ) => void attempted.run(row),
    deliveries: (limit = 100) => deliveries.all({ limit }),
  };
}

export type BudgetAlertsRepo = ReturnType<typeof createBudgetAlertsRepo>;
