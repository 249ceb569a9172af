import type { BilledFigures } from '../../../../shared/domain/statement-lines';
import { type Db, onPostgres } from '../engine';
import type { OrgScope } from '../org-scope';

export interface StatementRow {
  id: string;
  number: string;
  year: number;
  seq: number;
  kind: 'statement' | 'credit_note';
  org_id: string;
  month: string;
  issued_at: string;
  total_micros: number;
  credits: string | null;
  voided_by: string | null;
  document: string;
}

/** A statement as inserted: its row and its PDF (rows read back leave the PDF out). */
export type NewStatement = StatementRow & { pdf: Buffer };

/** One line of a statement as stored: what it bills, for which month, in which place. */
export type NewStatementLine = BilledFigures & { position: number; for_month: string };

export interface ChangeSince {
  at: string;
  what: 'import' | 'undo' | 'audit';
  /** The import's file name, or the audit event's action. */
  name: string;
  target_id: string | null;
  org_id: string | null;
}

const COLUMNS =
  'id, number, year, seq, kind, org_id, month, issued_at, total_micros, credits, voided_by, document';
const IN_SCOPE = '(:scope IS NULL OR org_id IN (SELECT value FROM json_each(:scope)))';

/** Audit actions that can change what a closed month bills. */
const BILLING_ACTIONS = [
  'price.set',
  'price.imported',
  'org.updated',
  'org.terms_changed',
  'org.markup_set',
  'org.deleted',
  'org.restored',
  'agent.updated',
  'agent.rate_changed',
  'agent.assigned',
  'agent.moved',
  'agent.unassigned',
  'agent.deleted',
];

export function createStatementsRepo(db: Db) {
  // On PostgreSQL, row-level security hides other orgs' statements, so the numbering is MSP-wide in
  // its own row (statement_numbers), locked by the issuing transaction until it commits.
  const nextSeq = onPostgres(db)
    ? db
        .prepare<{ year: number }, number>(
          `INSERT INTO statement_numbers (year, last_seq) VALUES (:year, 1)
           ON CONFLICT (year) DO UPDATE SET last_seq = statement_numbers.last_seq + 1 RETURNING last_seq`,
        )
        .pluck()
    : db
        .prepare<{ year: number }, number>(
          'SELECT ifnull(max(seq), 0) + 1 FROM statements WHERE year = :year',
        )
        .pluck();
  const insert = db.prepare<Omit<NewStatement, 'voided_by'>>(
    `INSERT INTO statements (id, number, year, seq, kind, org_id, month, issued_at, total_micros, credits, document, pdf)
     VALUES (:id, :number, :year, :seq, :kind, :org_id, :month, :issued_at, :total_micros, :credits, :document, :pdf)`,
  );
  const pdf = db.prepare<{ id: string }, Buffer>('SELECT pdf FROM statements WHERE id = :id').pluck();
  const insertLine = db.prepare<
    { statement_id: string; org_id: string; amount_micros: bigint; cost_pico: string; tokens: string } & Omit<
      NewStatementLine,
      'amount_micros' | 'cost_pico' | 'tokens'
    >
  >(
    `INSERT INTO statement_lines (statement_id, position, org_id, for_month, kind, key, description, amount_micros, cost_pico, tokens)
     VALUES (:statement_id, :position, :org_id, :for_month, :kind, :key, :description, :amount_micros, :cost_pico, :tokens)`,
  );
  const markVoided = db.prepare<{ id: string; by: string }>(
    'UPDATE statements SET voided_by = :by WHERE id = :id AND voided_by IS NULL',
  );
  const list = db.prepare<{ scope: string | null; org: string | null }, StatementRow>(
    `SELECT ${COLUMNS} FROM statements WHERE ${IN_SCOPE} AND (:org IS NULL OR org_id = :org)
     ORDER BY year DESC, seq DESC`,
  );
  const byNumber = db.prepare<{ scope: string | null; number: string }, StatementRow>(
    `SELECT ${COLUMNS} FROM statements WHERE number = :number AND ${IN_SCOPE}`,
  );
  const byId = db.prepare<{ id: string }, StatementRow>(`SELECT ${COLUMNS} FROM statements WHERE id = :id`);
  const standing = db.prepare<{ org: string; month: string }, StatementRow>(
    `SELECT ${COLUMNS} FROM statements WHERE org_id = :org AND month = :month AND kind = 'statement' AND voided_by IS NULL`,
  );
  // An org's closed months: billed on a standing statement, or closed with nothing to bill.
  const closedMonthsOfOrg = db.prepare<{ org: string }, { month: string; closed_at: string }>(
    `SELECT month, issued_at AS closed_at FROM statements
       WHERE org_id = :org AND kind = 'statement' AND voided_by IS NULL
     UNION ALL
     SELECT month, closed_at FROM months_closed_without_statement WHERE org_id = :org
     ORDER BY month`,
  );
  // Orgs a closed month may owe adjustments to: those with a standing statement, or a month closed without one.
  const orgsWithClosedMonths = db
    .prepare<[], string>(
      `SELECT org_id FROM statements WHERE kind = 'statement' AND voided_by IS NULL
       UNION SELECT org_id FROM months_closed_without_statement`,
    )
    .pluck();
  const closedAtSource = db.prepare<
    { org: string; month: string },
    { closed_at: string; statement_number: string | null }
  >('SELECT closed_at, statement_number FROM months_closed_at_source WHERE org_id = :org AND month = :month');
  const closedWithout = db.prepare<{ org: string; month: string }, { month: string; closed_at: string }>(
    'SELECT month, closed_at FROM months_closed_without_statement WHERE org_id = :org AND month = :month',
  );
  const adjustedOn = db
    .prepare<{ org: string; month: string }, string>(
      `SELECT s.number FROM statement_lines l JOIN statements s ON s.id = l.statement_id
       WHERE l.org_id = :org AND l.for_month = :month AND s.month <> :month AND s.voided_by IS NULL
       GROUP BY s.number, s.year, s.seq ORDER BY s.year, s.seq`,
    )
    .pluck();
  const reopenWithout = db.prepare<{ org: string; month: string }>(
    'DELETE FROM months_closed_without_statement WHERE org_id = :org AND month = :month',
  );
  const closeWithout = db.prepare<{ org: string; month: string; at: string }>(
    'INSERT INTO months_closed_without_statement (org_id, month, closed_at) VALUES (:org, :month, :at)',
  );
  const billed = db
    .prepare<
      { org: string; month: string },
      {
        kind: string;
        key: string;
        description: string;
        amount_micros: bigint;
        cost_pico: string;
        tokens: string;
      }
    >(
      `SELECT l.kind, l.key, l.description, l.amount_micros, l.cost_pico, l.tokens
       FROM statement_lines l JOIN statements s ON s.id = l.statement_id
       WHERE l.org_id = :org AND l.for_month = :month AND s.voided_by IS NULL
       ORDER BY l.statement_id, l.position`,
    )
    .safeIntegers();
  // Months standing statements billed in part (as adjustments) while the month itself is open: its
  // own statement voided and not issued again.
  const billedInPartWhileOpen = db
    .prepare<{ org: string }, string>(
      `SELECT DISTINCT l.for_month FROM statement_lines l JOIN statements s ON s.id = l.statement_id
       WHERE l.org_id = :org AND s.voided_by IS NULL AND l.for_month <> s.month
         AND NOT EXISTS (SELECT 1 FROM statements own WHERE own.org_id = :org AND own.month = l.for_month
                           AND own.kind = 'statement' AND own.voided_by IS NULL)
         AND NOT EXISTS (SELECT 1 FROM months_closed_without_statement c
                           WHERE c.org_id = :org AND c.month = l.for_month)
       ORDER BY l.for_month`,
    )
    .pluck();
  const lastBilledAt = db
    .prepare<{ org: string; month: string }, string | null>(
      `SELECT max(s.issued_at) FROM statement_lines l JOIN statements s ON s.id = l.statement_id
       WHERE l.org_id = :org AND l.for_month = :month AND s.voided_by IS NULL`,
    )
    .pluck();
  // An import cut off part-way (interrupted) keeps the rows it committed: a change like a finished one.
  // Prices are changed for every org, recorded in no org's trail: one in an org's trail is of an
  // imported org's past install and says nothing of these bills. An agent's change is matched by
  // its id (statements-service's reasonFor), whichever org's trail it is in: it may have moved since.
  const changes = db.prepare<{ org: string; since: string; actions: string }, ChangeSince>(
    `SELECT finished_at AS at, 'import' AS what, file_name AS name, NULL AS target_id, NULL AS org_id
       FROM import_jobs
       WHERE (status = 'done' OR (status = 'interrupted' AND imported > 0)) AND finished_at > :since
     UNION ALL
     SELECT undone_at, 'undo', file_name, NULL, NULL FROM import_jobs WHERE undone_at > :since
     UNION ALL
     SELECT at, 'audit', action, target_id, org_id FROM audit_events
       WHERE at > :since AND action IN (SELECT value FROM json_each(:actions))
         AND (org_id IS NULL OR org_id = :org OR action LIKE 'agent.%')
     ORDER BY at`,
  );

  return {
    /** The year's next number; call inside the transaction that inserts, which keeps it gap-free. */
    nextSeq: (year: number) => nextSeq.get({ year }) as number,
    insert(row: Omit<NewStatement, 'voided_by'>, lines: NewStatementLine[]): void {
      insert.run(row);
      for (const line of lines)
        insertLine.run({
          ...line,
          statement_id: row.id,
          org_id: row.org_id,
          cost_pico: line.cost_pico.toString(),
          tokens: line.tokens.toString(),
        });
    },
    pdf: (id: string) => pdf.get({ id }) as Buffer,
    /** Whether the statement was standing (not voided already) and now is voided. */
    markVoided: (id: string, by: string) => markVoided.run({ id, by }).changes === 1,
    list: (scope: OrgScope, orgId: string | null) => list.all({ scope: scope.sqlParam, org: orgId }),
    byNumber: (scope: OrgScope, number: string) => byNumber.get({ scope: scope.sqlParam, number }),
    /** By id, for the number of a statement another one points at (the scope found the first). */
    byId: (id: string) => byId.get({ id }),
    standing: (orgId: string, month: string) => standing.get({ org: orgId, month }),
    /** The org's closed months (on a standing statement, or with nothing to bill) and when, oldest first. */
    closedMonthsOfOrg: (orgId: string) => closedMonthsOfOrg.all({ org: orgId }),
    /** Orgs with a standing statement or a month closed without one. */
    orgsWithClosedMonths: () => orgsWithClosedMonths.all(),
    /**
     * Whether the install the org was moved from had closed its month (on the statement named, or
     * with nothing to bill): closing it here would bill it twice.
     */
    closedAtSource: (orgId: string, month: string) => closedAtSource.get({ org: orgId, month }),
    /** When the org's month was closed with nothing to bill, if it was. */
    closedWithout: (orgId: string, month: string) => closedWithout.get({ org: orgId, month }),
    /** Records that closing the org's month issued no statement: it had nothing to bill. */
    closeWithout: (orgId: string, month: string, at: string) =>
      void closeWithout.run({ org: orgId, month, at }),
    /** The standing statements of later months that billed changes to the org's month, oldest first. */
    adjustedOn: (orgId: string, month: string) => adjustedOn.all({ org: orgId, month }),
    /** The org's month, closed with nothing to bill, is billed on a statement of its own after all. */
    reopenWithout: (orgId: string, month: string) => void reopenWithout.run({ org: orgId, month }),
    /** Every amount standing statements billed for the org's month (its own lines and later adjustments). */
    billed(orgId: string, month: string): BilledFigures[] {
      return billed.all({ org: orgId, month }).map((row) => ({
        kind: row.kind,
        key: row.key,
        description: row.description,
        amount_micros: BigInt(row.amount_micros),
        cost_pico: BigInt(row.cost_pico),
        tokens: BigInt(row.tokens),
      }));
    },
    /** The org's open months (statement voided) that later statements billed in part, oldest first. */
    billedInPartWhileOpen: (orgId: string) => billedInPartWhileOpen.all({ org: orgId }),
    /** When standing statements last billed anything for the org's month. */
    lastBilledAt: (orgId: string, month: string) => lastBilledAt.get({ org: orgId, month }) ?? null,
    /** Imports, undone imports and billing-relevant audit events after a moment, oldest first. */
    /** What may have changed an org's bills since `since`: imports, undos, and audited changes. */
    changesSince: (orgId: string, since: string) =>
      changes.all({ org: orgId, since, actions: JSON.stringify(BILLING_ACTIONS) }),
  };
}

export type StatementsRepo = ReturnType<typeof createStatementsRepo>;

export function createLogosRepo(db: Db) {
  const insert = db.prepare<{ sha256: string; content_type: string; data: Buffer; created_at: string }>(
    `INSERT INTO msp_logos (sha256, content_type, data, created_at) VALUES (:sha256, :content_type, :data, :created_at)
     ON CONFLICT (sha256) DO NOTHING`,
  );
  const get = db.prepare<{ sha256: string }, { content_type: 'image/png' | 'image/jpeg'; data: Buffer }>(
    'SELECT content_type, data FROM msp_logos WHERE sha256 = :sha256',
  );
  return {
    put: (sha256: string, contentType: string, data: Buffer, at: string) =>
      void insert.run({ sha256, content_type: contentType, data, created_at: at }),
    get: (sha256: string) => get.get({ sha256 }),
  };
}
