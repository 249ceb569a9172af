import * as z from 'zod';
import { CATEGORIES, TIERS } from '../domain/token-pricing';
import { USAGE_FORMATS } from '../domain/usage-identity';
import { IdentityKind, UsageSource } from './aliases';
import { channel } from './channel';
import { Day, Id, Month, Timestamp } from './fields';

const Model = z.string().trim().min(1, 'A model name is required').max(200);
/** The dearest price there is room for: 999,999.999999 USD per million tokens, in pico-USD per token. */
export const MAX_PRICE_PICO_PER_TOKEN = 999_999_999_999;

const PerMillion = z
  .string()
  .regex(/^\d{1,6}(\.\d{1,6})?$/, 'A price is USD per million tokens with at most 6 decimals, like 2.5')
  .describe('USD per 1,000,000 tokens');

/** What an upload is for: the channel that will import it. */
export const UPLOAD_PURPOSES = ['knowledge', 'usage', 'archive'] as const;
export type UploadPurpose = (typeof UPLOAD_PURPOSES)[number];

/**
 * The largest file each purpose takes. Knowledge files are read whole by the text extractor; usage
 * files are streamed, whatever their size; an archive is staged whole until it is applied.
 */
export const UPLOAD_LIMITS: Record<UploadPurpose, { bytes: number; label: string }> = {
  knowledge: { bytes: 20 * 1024 * 1024, label: '20 MB' },
  usage: { bytes: 2 ** 31, label: '2 GB' },
  archive: { bytes: 256 * 1024 * 1024, label: '256 MB' },
};

/** A rate beyond a price's standard input and output: a category, in a tier, above a band's threshold. */
export const PriceRate = z
  .object({
    category: z.enum(CATEGORIES),
    tier: z.enum(TIERS).default('standard'),
    above: z
      .number()
      .int()
      .min(0)
      .max(100_000_000)
      .default(0)
      .describe('The long-context band: prompt tokens per request above which it applies; 0 for none'),
    price: PerMillion,
  })
  .strict()
  .refine(
    (rate) => !(rate.tier === 'standard' && rate.above === 0 && ['input', 'output'].includes(rate.category)),
    {
      message: 'The standard input and output prices are the price’s own input and output',
    },
  );
export type PriceRate = z.infer<typeof PriceRate>;

export const Price = z.object({
  model: z.string(),
  from: z.string().describe('Effective from this UTC day'),
  input: z.string().describe('USD per 1,000,000 input tokens'),
  output: z.string().describe('USD per 1,000,000 output tokens'),
  rates: z.array(
    z.object({ category: z.enum(CATEGORIES), tier: z.enum(TIERS), above: z.number(), price: z.string() }),
  ),
  source: z.string(),
});
export type Price = z.infer<typeof Price>;

/** A LiteLLM cost map and the day its prices start: what a preview shows and an import applies. */
const LitellmImport = z
  .object({
    content: z.string().max(900_000),
    from: Day.optional().describe('Absent: the first day of the usage imported (today when there is none)'),
  })
  .strict();

export const PriceChange = z.object({
  model: z.string(),
  kind: z.enum(['new', 'changed', 'same']),
  before: z.object({ input: z.string(), output: z.string() }).nullable(),
  after: z.object({ input: z.string(), output: z.string() }),
  rounded: z.boolean().describe('Finer than a millionth of a dollar per million tokens: rounded'),
  rates: z.number().describe('Rates beyond input and output (categories, tiers, bands) it sets'),
  left_out: z
    .array(z.string())
    .describe('Prices of the entry Orgdeck does not bill (audio, image, per query…)'),
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
  badRows: z.array(z.object({ line: z.number(), reason: z.string() })).describe('The first 100 bad rows'),
  problems: z
    .array(
      z.object({
        reason: z.string(),
        rows: z.number(),
        agent: z.string().nullable().describe('The handle a "no agent" problem names'),
      }),
    )
    .describe('Every bad row counted per reason, most rows first'),
  format: z.enum(USAGE_FORMATS).describe('What the file held: our format or a provider’s export'),
  unmatched: z
    .array(
      z.object({
        source: UsageSource,
        kind: IdentityKind,
        value: z.string(),
        rows: z.number(),
        input_tokens: z.number(),
        cache_read_tokens: z.number(),
        cache_write_tokens: z.number(),
        cache_write_1h_tokens: z.number(),
        cache_write_total_tokens: z.number().describe('5-minute and 1-hour cache writes together'),
        output_tokens: z.number(),
        reasoning_tokens: z.number(),
      }),
    )
    .describe(
      'Identities of a provider export that no alias maps: their rows were left out, to map and import again',
    ),
  error: z.string().nullable(),
  startedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  undoneAt: Timestamp.nullable().describe('When its rows were taken back out (usage.undo)'),
  undoing: z
    .boolean()
    .describe('Its rows are being taken back out (usage.undo): undoneAt is set once they are'),
});
export type ImportJob = z.infer<typeof ImportJob>;

const Money = z.string().describe('USD as a decimal string');
const CostByCategory = z.object({
  input: Money,
  cache_read: Money,
  cache_write: Money,
  output: Money.describe('Output other than reasoning'),
  reasoning: Money,
});
const Tokens = {
  input_tokens: z.number().describe('Input read from no cache and written to none'),
  output_tokens: z.number().describe('All output, reasoning included'),
  cache_read_tokens: z.number(),
  cache_write_tokens: z.number().describe('5-minute and 1-hour cache writes'),
  reasoning_tokens: z.number().describe('The part of output_tokens that was reasoning'),
  cost_by_category: CostByCategory,
  cache_savings: Money.describe('What cache reads saved against the input price'),
};

const RevenueParts = {
  revenue_agents: Money.describe('Agent fees at the rates in effect during the month'),
  revenue_usage: Money.describe('Usage rebilled: cost beyond the included usage, with its markup'),
};

export const AgentMargin = z.object({
  id: Id,
  handle: z.string(),
  name: z.string(),
  revenue: Money.describe('revenue_agents + revenue_usage'),
  ...RevenueParts,
  cost: Money,
  margin: z.number().nullable(),
  unpriced_tokens: z.number(),
  ...Tokens,
});

/** Where the month is heading: the current month only (null for months that are over or to come). */
export const Forecast = z
  .object({
    revenue: Money.describe(
      'The whole month’s revenue: agent fees at the assignments and rates in effect now, the usage fee on the forecast cost (the projected rest of the month per model at today’s markups) and the minimum’s top-up',
    ),
    cost: Money.describe(
      'Cost so far plus the run rate (cost of the last 7 full UTC days in the month, or fewer if the month or org is younger, ÷ those days) over the rest of the month',
    ),
    margin: z.number().nullable(),
    budget_use: z.number().nullable().describe('Forecast cost ÷ budget (0.95 is 95%); null without a budget'),
    budget_exceeded_on: Day.nullable().describe(
      'The UTC day the projected cost reaches the budget (the day it did, if it has); null if it does not this month',
    ),
  })
  .describe('Month to date: revenue and cost are what has accrued up to now; this is where the month ends');
export type Forecast = z.infer<typeof Forecast>;

export const OrgMargin = z.object({
  id: Id,
  slug: z.string(),
  name: z.string(),
  revenue: Money.describe('revenue_agents + revenue_usage + minimum_topup'),
  ...RevenueParts,
  minimum_topup: Money.describe(
    'What tops the revenue up to the org’s minimum monthly charge; 0 in the current month to date (a month-end charge: the forecast counts it)',
  ),
  cost: Money,
  margin: z.number().nullable(),
  unpriced_tokens: z.number(),
  agents_billed: z.number(),
  budget: Money.nullable(),
  budget_state: z.enum(['ok', 'warning', 'exceeded']).nullable().describe('warning at 80%, exceeded at 100%'),
  budget_use: z
    .number()
    .nullable()
    .describe('Cost ÷ budget, the share of the budget used so far (0.85 is 85%); null without a budget'),
  forecast: Forecast.nullable(),
  agents: z.array(AgentMargin),
  ...Tokens,
});

const UsageFigures = {
  cost: Money,
  input_tokens: z.number(),
  output_tokens: z.number(),
  unpriced_tokens: z.number(),
};

/** One agent's usage while it was in no org: what it cost, and on which days. */
export const UnattributedAgent = z.object({
  id: Id,
  handle: z.string(),
  name: z.string(),
  ...UsageFigures,
  days: z.array(z.object({ day: Day, ...UsageFigures })).describe('UTC days, oldest first'),
});

export const CostByModel = z.object({ model: z.string(), cost: Money, priced: z.boolean(), ...Tokens });

export const MarginsReport = z.object({
  month: z.string(),
  currency: z.literal('USD'),
  orgs: z.array(OrgMargin),
  unattributed: z
    .object({
      cost: Money,
      unpriced_tokens: z.number(),
      ...Tokens,
      by_agent: z.array(UnattributedAgent).describe('Most costly first'),
    })
    .nullable(),
  totals: z.object({
    revenue: Money,
    ...RevenueParts,
    minimum_topup: Money,
    cost: Money,
    margin: z.number().nullable(),
    agents_billed: z.number(),
    unpriced_tokens: z.number().describe('Unpriced tokens of the orgs and the unattributed usage'),
    forecast: Forecast.nullable().describe(
      'The orgs’ forecasts summed (plus unattributed cost so far); budget_use is the budgeted orgs’ forecast cost ÷ their budgets, budget_exceeded_on the first day any org’s forecast reaches its own budget',
    ),
  }),
  as_of: Timestamp.nullable().describe(
    'The current month: the minute its to-date revenue runs to; null for a month that is over or to come',
  ),
  pace: z
    .number()
    .nullable()
    .describe('The share of the month gone by as_of (where even spend would be); null when as_of is'),
  cost_by_model: z.array(CostByModel),
  cost_by_category: CostByCategory.describe('The month’s cost (the totals’) by token category'),
  cache_savings: Money.describe('What cache reads saved this month against the input price'),
  fallbacks: z
    .array(z.object({ model: z.string(), rules: z.array(z.string()) }))
    .describe('Prices the month’s costs fell back to, per model, because its price did not name them'),
  low_margin_threshold: z.number(),
});
export type MarginsReport = z.infer<typeof MarginsReport>;

export const billingChannels = {
  'prices.list': channel({
    summary: 'Model prices with their history',
    kind: 'read',
    permission: 'billing.read',
    input: z.object({}).strict(),
    output: z.array(Price),
  }),
  'prices.set': channel({
    summary: 'Set a model’s price from a day on (the same model and day again edits it)',
    kind: 'write',
    permission: 'billing.manage',
    input: z
      .object({
        model: Model,
        input: PerMillion.optional().describe('Absent: the input price in effect that day'),
        output: PerMillion.optional().describe('Absent: the output price in effect that day'),
        rates: z
          .array(PriceRate)
          .max(200)
          .optional()
          .describe('Every rate beyond input and output; absent: those of the price in effect that day'),
        from: Day.optional(),
      })
      .strict()
      .refine(
        (price) =>
          new Set((price.rates ?? []).map((rate) => `${rate.category} ${rate.tier} ${rate.above}`)).size ===
          (price.rates ?? []).length,
        { message: 'Each category, tier and band has one rate', path: ['rates'] },
      ),
    output: Price,
  }),
  'prices.previewLitellm': channel({
    summary: 'What importing a LiteLLM cost map would change',
    kind: 'read',
    permission: 'billing.manage',
    input: LitellmImport,
    output: z.object({
      from: z.string(),
      months_priced: z.number().describe('Months of imported usage from that day on, which the prices cost'),
      changes: z.array(PriceChange),
      skipped: z.array(z.object({ model: z.string(), reason: z.string() })),
    }),
  }),
  'prices.importLitellm': channel({
    summary: 'Import a LiteLLM cost map (USD per token) as prices from a day on',
    kind: 'write',
    permission: 'billing.manage',
    input: LitellmImport,
    output: z.object({ applied: z.number(), from: z.string(), months_priced: z.number() }),
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
        purpose: z
          .enum(UPLOAD_PURPOSES)
          .optional()
          .describe(
            'What the file is for: its size limit and the permission to import it are checked now (without it, the largest file any import the caller may run takes)',
          ),
      })
      .strict(),
    output: z.object({ uploadId: Id }),
  }),
  'uploads.chunk': channel({
    summary: 'Append the next chunk (base64, at most 512 KiB decoded) of an upload',
    kind: 'write',
    permission: 'session',
    input: z
      .object({
        uploadId: Id,
        offset: z.number().int().min(0),
        data: z.base64().min(1, 'A chunk holds at least one byte').max(700_000),
      })
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
    summary:
      'Import an uploaded usage file (our CSV or JSON Lines, or an OpenAI, Anthropic or LiteLLM export) in the background',
    kind: 'write',
    permission: 'billing.manage',
    input: z
      .object({
        uploadId: Id,
        format: z
          .enum(['auto', ...USAGE_FORMATS], {
            error: 'The format is auto, orgdeck, openai, anthropic or litellm',
          })
          .default('auto'),
      })
      .strict(),
    output: ImportJob,
  }),
  'usage.undo': channel({
    summary:
      'Undo a usage import: its rows leave every month they were added to, and importing the file again counts them again',
    kind: 'write',
    permission: 'billing.manage',
    input: z.object({ jobId: Id }).strict(),
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
    permission: 'billing.read',
    input: z.object({ month: Month, org: Id.optional() }).strict(),
    output: MarginsReport,
  }),
  'billing.agent': channel({
    summary: 'One agent’s month: days assigned, rate, revenue, tokens and cost by model',
    kind: 'read',
    permission: 'billing.read',
    input: z.object({ month: Month, agentId: Id }).strict(),
    output: z.object({
      month: z.string(),
      agent: z.object({ id: Id, handle: z.string(), name: z.string() }),
      stays: z.array(
        z.object({
          org: z.object({ id: Id, slug: z.string(), name: z.string() }),
          days_assigned: z
            .string()
            .describe('Billable days in the month (so far, in the current month), to 2 decimals'),
          rate: Money,
          revenue: Money,
          cost: Money,
          margin: z.number().nullable(),
          ...Tokens,
          models: z.array(CostByModel),
        }),
      ),
    }),
  }),
  'billing.trend': channel({
    summary: 'Revenue, cost and margin for the 12 months up to a month',
    kind: 'read',
    permission: 'billing.read',
    input: z
      .object({ month: Month, org: Id.optional(), months: z.number().int().min(1).max(36).default(12) })
      .strict(),
    output: z.array(
      z.object({
        month: z.string(),
        revenue: Money,
        cost: Money,
        margin: z.number().nullable(),
        cache_savings: Money,
      }),
    ),
  }),
};
