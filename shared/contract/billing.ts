import { z } from 'zod';
import { MONTH_PATTERN } from '../domain/months';
import { channel } from './channel';
import { Id, Timestamp } from './fields';

export const Month = z.string().regex(MONTH_PATTERN, 'Use a month as YYYY-MM');
const Day = z.iso.date({ message: 'Use a date as YYYY-MM-DD' });
const Model = z.string().trim().min(1, 'A model name is required').max(200);
const PerMillion = z
  .string()
  .regex(/^\d{1,6}(\.\d{1,6})?$/, 'A price is USD per million tokens with at most 6 decimals, like 2.5')
  .describe('USD per 1,000,000 tokens');

export const Price = z.object({
  model: z.string(),
  from: z.string().describe('Effective from this UTC day'),
  input: z.string().describe('USD per 1,000,000 input tokens'),
  output: z.string().describe('USD per 1,000,000 output tokens'),
  source: z.string(),
});
export type Price = z.infer<typeof Price>;

export const PriceChange = z.object({
  model: z.string(),
  kind: z.enum(['new', 'changed', 'same']),
  before: z.object({ input: z.string(), output: z.string() }).nullable(),
  after: z.object({ input: z.string(), output: z.string() }),
  rounded: z.boolean().describe('Finer than a millionth of a dollar per million tokens: rounded'),
});

export const ImportJob = z.object({
  id: Id,
  kind: z.string(),
  fileName: z.string(),
  status: z.enum(['running', 'done', 'failed', 'interrupted']),
  bytesTotal: z.number(),
  bytesDone: z.number(),
  rowsRead: z.number(),
  imported: z.number(),
  skipped: z.number(),
  bad: z.number(),
  badRows: z.array(z.object({ line: z.number(), reason: z.string() })),
  error: z.string().nullable(),
  startedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
});
export type ImportJob = z.infer<typeof ImportJob>;

const Tokens = { input_tokens: z.number(), output_tokens: z.number() };
const Money = z.string().describe('USD as a decimal string');

export const AgentMargin = z.object({
  id: Id,
  handle: z.string(),
  name: z.string(),
  revenue: Money,
  cost: Money,
  margin: z.number().nullable(),
  unpriced_tokens: z.number(),
  ...Tokens,
});

export const OrgMargin = z.object({
  id: Id,
  slug: z.string(),
  name: z.string(),
  revenue: Money,
  cost: Money,
  margin: z.number().nullable(),
  unpriced_tokens: z.number(),
  agents_billed: z.number(),
  budget: Money.nullable(),
  budget_state: z
    .enum(['ok', 'warning', 'exceeded'])
    .nullable()
    .describe('warning at 80 %, exceeded at 100 %'),
  agents: z.array(AgentMargin),
  ...Tokens,
});

export const CostByModel = z.object({ model: z.string(), cost: Money, priced: z.boolean(), ...Tokens });

export const MarginsReport = z.object({
  month: z.string(),
  currency: z.literal('USD'),
  orgs: z.array(OrgMargin),
  unattributed: z.object({ cost: Money, unpriced_tokens: z.number(), ...Tokens }).nullable(),
  totals: z.object({
    revenue: Money,
    cost: Money,
    margin: z.number().nullable(),
    agents_billed: z.number(),
    unpriced_tokens: z.number().describe('Unpriced tokens of the orgs and the unattributed usage'),
  }),
  cost_by_model: z.array(CostByModel),
  low_margin_threshold: z.number(),
});
export type MarginsReport = z.infer<typeof MarginsReport>;

export const billingChannels = {
  'prices.list': channel({
    summary: 'Model prices with their history',
    kind: 'read',
    permission: 'page.billing',
    input: z.object({}).strict(),
    output: z.array(Price),
  }),
  'prices.set': channel({
    summary: 'Set a model’s price from a day on (the same model and day again edits it)',
    kind: 'write',
    permission: 'billing.manage',
    input: z.object({ model: Model, input: PerMillion, output: PerMillion, from: Day.optional() }).strict(),
    output: Price,
  }),
  'prices.previewLitellm': channel({
    summary: 'What importing a LiteLLM cost map would change',
    kind: 'read',
    permission: 'billing.manage',
    input: z.object({ content: z.string().max(900_000), from: Day.optional() }).strict(),
    output: z.object({
      from: z.string(),
      changes: z.array(PriceChange),
      skipped: z.array(z.object({ model: z.string(), reason: z.string() })),
    }),
  }),
  'prices.importLitellm': channel({
    summary: 'Import a LiteLLM cost map (USD per token) as prices from a day on',
    kind: 'write',
    permission: 'billing.manage',
    input: z.object({ content: z.string().max(900_000), from: Day.optional() }).strict(),
    output: z.object({ applied: z.number(), from: z.string() }),
  }),
  'uploads.begin': channel({
    summary: 'Start uploading a file in chunks, for the channel that imports it',
    kind: 'write',
    permission: 'session',
    input: z
      .object({
        fileName: z.string().trim().min(1).max(255),
        size: z
          .number()
          .int()
          .min(1)
          .max(2 ** 31),
      })
      .strict(),
    output: z.object({ uploadId: Id }),
  }),
  'uploads.chunk': channel({
    summary: 'Append the next chunk (base64, at most 512 KiB decoded) of an upload',
    kind: 'write',
    permission: 'session',
    input: z
      .object({ uploadId: Id, offset: z.number().int().min(0), data: z.base64().max(700_000) })
      .strict(),
    output: z.object({ received: z.number() }),
  }),
  'uploads.cancel': channel({
    summary: 'Abandon an unfinished upload: its file goes and it no longer counts against the limit',
    kind: 'write',
    permission: 'session',
    input: z.object({ uploadId: Id }).strict(),
    output: z.object({}),
  }),
  'usage.import': channel({
    summary: 'Import an uploaded usage file (CSV or JSON Lines) in the background',
    kind: 'write',
    permission: 'billing.manage',
    input: z.object({ uploadId: Id }).strict(),
    output: ImportJob,
  }),
  'jobs.get': channel({
    summary: 'An import job’s progress',
    kind: 'read',
    permission: 'billing.manage',
    input: z.object({ id: Id }).strict(),
    output: ImportJob,
  }),
  'jobs.list': channel({
    summary: 'Recent import jobs',
    kind: 'read',
    permission: 'billing.manage',
    input: z.object({}).strict(),
    output: z.array(ImportJob),
  }),
  'billing.margins': channel({
    summary: 'Revenue, cost and margin per org and agent for a month',
    kind: 'read',
    permission: 'page.billing',
    input: z.object({ month: Month, org: Id.optional() }).strict(),
    output: MarginsReport,
  }),
  'billing.agent': channel({
    summary: 'One agent’s month: days assigned, rate, revenue, tokens and cost by model',
    kind: 'read',
    permission: 'page.billing',
    input: z.object({ month: Month, agentId: Id }).strict(),
    output: z.object({
      month: z.string(),
      agent: z.object({ id: Id, handle: z.string(), name: z.string() }),
      stays: z.array(
        z.object({
          org: z.object({ id: Id, slug: z.string(), name: z.string() }),
          days_assigned: z.string().describe('Billable days in the month, to 2 decimals'),
          rate: Money,
          revenue: Money,
          cost: Money,
          margin: z.number().nullable(),
          models: z.array(CostByModel),
        }),
      ),
    }),
  }),
  'billing.trend': channel({
    summary: 'Revenue, cost and margin for the 12 months up to a month',
    kind: 'read',
    permission: 'page.billing',
    input: z
      .object({ month: Month, org: Id.optional(), months: z.number().int().min(1).max(36).default(12) })
      .strict(),
    output: z.array(
      z.object({ month: z.string(), revenue: Money, cost: Money, margin: z.number().nullable() }),
    ),
  }),
};
