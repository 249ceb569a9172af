import * as z from 'zod';
import { LINE_KINDS } from '../domain/statement-lines';
import { channel } from './channel';
import { Id, Month, Timestamp } from './fields';

/** `PREFIX-YYYY-NNNN`: the prefix from the settings, the year of issue, the year's sequence. */
export const StatementNumber = z
  .string()
  .trim()
  .min(1, 'A statement number is required')
  .max(40)
  .regex(/^[A-Z0-9]{1,12}-\d{4}-\d{4,}$/, 'A statement number looks like ST-2026-0001');

const Amount = z.string().describe('USD charged, to the cent');
const Cost = z.string().describe('USD, the MSP’s cost, to 6 decimals');

const Adjustment = z.object({
  for_month: z.string().describe('The closed month this corrects'),
  reason: z.string(),
});

const AgentRef = z.object({ handle: z.string(), name: z.string() });

/** One line as issued. A line with `adjustment` corrects an earlier, closed month. */
export const StatementLine = z.object({
  kind: z.enum(LINE_KINDS),
  description: z.string(),
  agent: AgentRef.nullable(),
  model: z.string().nullable(),
  days: z.string().nullable().describe('Billable days of an agent fee, to 2 decimals'),
  rate: z.string().nullable().describe('USD per agent per month of an agent fee'),
  tokens: z.string().describe('Tokens of a usage line (0 for a fee)'),
  cost: Cost,
  markup: z.string().nullable().describe('Markup percent applied to the cost of a usage line'),
  amount: Amount,
  adjustment: Adjustment.nullable(),
});

const Party = {
  org: z.object({
    id: Id,
    slug: z.string(),
    name: z.string(),
    contact_name: z.string(),
    contact_email: z.string(),
    timezone: z.string(),
  }),
  msp: z.object({
    name: z.string(),
    address: z.string(),
    logo: z.string().nullable().describe('SHA-256 of the logo the statement was issued with'),
  }),
};

const Header = {
  number: z.string(),
  kind: z.enum(['statement', 'credit_note']),
  month: z.string(),
  currency: z.literal('USD'),
  issued_at: Timestamp,
  issued_on: z.string().describe('The day of issue in the org’s time zone'),
  period: z.string().describe('The month billed, as shown'),
  timezone: z.string(),
  credits: z.string().nullable().describe('A credit note: the number of the statement it voids'),
  reason: z.string().nullable().describe('A credit note: why the statement was voided'),
};

/** The issued document, as stored at close: every rendering (JSON, CSV, PDF) comes from it. */
export const StatementDocument = z.object({
  ...Header,
  ...Party,
  lines: z.array(StatementLine),
  totals: z.object({
    fees: Amount,
    usage: Amount.describe('AI usage charged, after the included allowance'),
    minimum_top_up: Amount.describe('What tops the month up to the minimum monthly charge'),
    adjustments: Amount,
    total: Amount,
    cost: Cost,
  }),
});
export type StatementDocument = z.infer<typeof StatementDocument>;

/** What a client sees of a statement: what it is charged, never the MSP's cost or markup. */
export const ClientStatementLine = StatementLine.omit({ cost: true, markup: true });
export const ClientStatement = z.object({
  ...Header,
  ...Party,
  lines: z.array(ClientStatementLine),
  totals: z.object({
    fees: Amount,
    usage: Amount,
    minimum_top_up: Amount,
    adjustments: Amount,
    total: Amount,
  }),
});
export type ClientStatement = z.infer<typeof ClientStatement>;

export const StatementSummary = z.object({
  number: z.string(),
  kind: z.enum(['statement', 'credit_note']),
  org: z.object({ id: Id, slug: z.string(), name: z.string() }),
  month: z.string(),
  issued_at: Timestamp,
  total: Amount,
  voided_by: z.string().nullable().describe('The credit note that voided it'),
  credits: z.string().nullable(),
});
export type StatementSummary = z.infer<typeof StatementSummary>;

export const PendingAdjustment = z.object({
  org: z.object({ id: Id, slug: z.string(), name: z.string() }),
  for_month: z.string(),
  kind: z.enum(LINE_KINDS),
  description: z.string(),
  amount: Amount.describe('Still to bill (negative: to credit)'),
  cost: Cost,
  tokens: z.string(),
  reason: z.string(),
});

export const STATEMENT_FORMATS = ['json', 'csv', 'pdf'] as const;

export const statementChannels = {
  'statements.close': channel({
    summary: 'Close a month: issue one numbered statement per org with revenue (or adjustments) in it',
    kind: 'write',
    permission: 'statements.manage',
    input: z.object({ month: Month, org: Id.optional() }).strict(),
    output: z.object({
      issued: z.array(StatementSummary),
      skipped: z
        .array(z.object({ org: z.string(), reason: z.string() }))
        .describe('Orgs left out: already closed, or nothing to bill'),
    }),
  }),
  'statements.void': channel({
    summary: 'Void a statement: issue a credit note negating it; its month can be closed again',
    kind: 'write',
    permission: 'statements.manage',
    input: z
      .object({
        number: StatementNumber,
        reason: z.string().trim().min(1, 'Say why the statement is voided').max(500),
      })
      .strict(),
    output: StatementSummary,
  }),
  'statements.list': channel({
    summary: 'Issued statements and credit notes, newest first',
    kind: 'read',
    permission: 'statements.read',
    input: z.object({ org: Id.optional() }).strict(),
    output: z.array(StatementSummary),
  }),
  'statements.get': channel({
    summary: 'One issued statement with the MSP’s cost and markup per line',
    kind: 'read',
    permission: 'billing.read',
    input: z.object({ number: StatementNumber }).strict(),
    output: StatementDocument,
  }),
  'statements.view': channel({
    summary: 'One issued statement as the client sees it: charges only',
    kind: 'read',
    permission: 'statements.read',
    input: z.object({ number: StatementNumber }).strict(),
    output: ClientStatement,
  }),
  'statements.file': channel({
    summary:
      'An issued statement as a file (JSON, CSV or PDF), the same bytes every time; the PDF is the one sent to the client',
    kind: 'read',
    permission: 'statements.read',
    input: z.object({ number: StatementNumber, format: z.enum(STATEMENT_FORMATS) }).strict(),
    output: z.object({ fileName: z.string(), contentType: z.string(), base64: z.string() }),
  }),
  'statements.pending': channel({
    summary: 'Changes to closed months not yet billed: the adjustments the next statements will carry',
    kind: 'read',
    permission: 'billing.read',
    input: z.object({ org: Id.optional() }).strict(),
    output: z.array(PendingAdjustment),
  }),
  'statements.usage': channel({
    summary: 'An org’s tokens and charges by agent and model for a month (no cost or margin)',
    kind: 'read',
    permission: 'statements.read',
    input: z.object({ month: Month, org: Id }).strict(),
    output: z.object({
      month: z.string(),
      org: z.object({ id: Id, slug: z.string(), name: z.string() }),
      closed: z
        .object({
          statement: z
            .string()
            .nullable()
            .describe('The month’s statement; null: closed with nothing to bill'),
          before_move: z
            .boolean()
            .describe(
              'Closed by the Orgdeck the org was moved from: its statement is not among this one’s, and nothing of the month is billed here',
            ),
          adjusted_on: z
            .array(z.string())
            .describe('Later statements that billed changes to the month as adjustments, oldest first'),
          adjustment: Amount.nullable().describe(
            'How much the usage charges below differ from all that was billed for the month, billed on the next statement; null: as billed',
          ),
        })
        .nullable()
        .describe('Null while the month is not closed'),
      rows: z.array(
        z.object({
          agent: AgentRef,
          model: z.string(),
          input_tokens: z.string(),
          output_tokens: z.string(),
          cache_read_tokens: z.string(),
          cache_write_tokens: z.string(),
          cache_tokens: z.string().describe('Cache reads and writes together'),
          tokens: z.string(),
          charged: Amount,
        }),
      ),
    }),
  }),
};
