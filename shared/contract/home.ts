import * as z from 'zod';
import { channel } from './channel';
import { Id, Month, Timestamp } from './fields';

const Money = z.string().describe('USD as a decimal string');
const OrgRef = z.object({ id: Id, slug: z.string(), name: z.string() });

/**
 * What the home page shows: every figure worked out by the server from the month's margins report,
 * its trend and the import jobs, so the page only lays them out.
 */
export const Attention = z.object({
  month: z.string(),
  org: OrgRef.nullable().describe('The one org the figures cover; null for every org the caller sees'),
  currency: z.literal('USD'),
  clients: z.number().describe('Current client orgs (not the MSP’s own) the caller sees'),
  agents: z.number().describe('Agents with revenue or usage in the month'),
  totals: z.object({
    revenue: Money,
    cost: Money,
    margin: z.number().nullable(),
    agents_billed: z.number(),
    unpriced_tokens: z.number(),
  }),
  trend: z
    .array(z.object({ month: z.string(), revenue: Money, cost: Money, margin: z.number().nullable() }))
    .describe('The six months up to the month, oldest first'),
  low_margin_threshold: z.number(),
  lowest_margin: z
    .array(OrgRef.extend({ revenue: Money, cost: Money, margin: z.number().nullable() }))
    .describe(
      'Up to five orgs with revenue or cost, lowest margin first (cost without revenue first of all)',
    ),
  costliest_agents: z
    .array(
      z.object({
        id: Id,
        handle: z.string(),
        name: z.string(),
        org: OrgRef,
        revenue: Money,
        cost: Money,
        margin: z.number().nullable(),
      }),
    )
    .describe('Up to five agents by their cost in one org, highest first'),
  budgets: z
    .array(
      OrgRef.extend({
        budget: Money,
        cost: Money,
        used: z.number().describe('Cost ÷ budget, to four decimals'),
        state: z.enum(['warning', 'exceeded']),
      }),
    )
    .describe('Orgs whose month cost reached 80% of their budget, most used first'),
  unpriced_models: z
    .array(z.object({ model: z.string(), tokens: z.number() }))
    .describe('Models used this month without a price for some of their tokens'),
  unattributed: z
    .object({ cost: Money, tokens: z.number() })
    .nullable()
    .describe('Usage of agents in no org at the time; null when there is none'),
  failed_imports: z
    .array(
      z.object({
        id: Id,
        fileName: z.string(),
        status: z.enum(['failed', 'interrupted', 'done']),
        problem: z.string().describe('Why it needs a look, in a sentence'),
        finishedAt: Timestamp.nullable(),
      }),
    )
    .describe(
      'Recent usage imports that failed, were interrupted or imported nothing, not since imported again',
    ),
});
export type Attention = z.infer<typeof Attention>;

export const homeChannels = {
  'home.attention': channel({
    summary:
      'What needs attention this month: low margins, costly agents, budgets, unpriced models, failed imports',
    kind: 'read',
    permission: 'billing.read',
    input: z
      .object({
        month: Month.optional().describe('Absent: the current UTC month'),
        org: Id.optional().describe(
          'Narrow to one org (the switcher’s): its figures, agents, budget and models; import failures stay, as imports belong to no org',
        ),
      })
      .strict(),
    output: Attention,
  }),
};
