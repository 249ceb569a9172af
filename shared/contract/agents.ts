import * as z from 'zod';
import { HANDLE_MAX, HANDLE_RULE, isHandle } from '../domain/handle';
import { channel } from './channel';
import {
  DateTime,
  Description,
  DisplayName,
  EffectiveFrom,
  Email,
  Id,
  Month,
  Rate,
  Timestamp,
} from './fields';

export const AGENT_STATUSES = ['active', 'paused', 'stopped'] as const;
export const AgentStatus = z.enum(AGENT_STATUSES);

export const Handle = z
  .string()
  .max(HANDLE_MAX, `A handle is at most ${HANDLE_MAX} characters`)
  .refine(isHandle, { message: `A handle uses ${HANDLE_RULE}` });

export const Agent = z.object({
  id: Id,
  handle: z.string(),
  name: z.string(),
  email: z.string(),
  model: z.string(),
  status: AgentStatus,
  effectiveStatus: z
    .enum([...AGENT_STATUSES, 'stopped_by_org'])
    .describe('stopped_by_org while the agent’s org is inactive'),
  description: z.string(),
  rate: z.string().nullable().describe('Per-agent override of the org’s rate; null uses the org’s'),
  org: z.object({ id: Id, slug: z.string(), name: z.string() }).nullable(),
  assignedSince: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Agent = z.infer<typeof Agent>;

export const Assignment = z.object({
  org: z.object({ id: Id, slug: z.string(), name: z.string() }),
  from: Timestamp,
  to: Timestamp.nullable().describe('null while the agent is still there'),
});
export type Assignment = z.infer<typeof Assignment>;

export const AGENT_SORTS = ['name', 'handle', 'model', 'status', 'org', 'updatedAt'] as const;
/** Sorts by the month's figures: computed by the billing side, for callers who may see money. */
export const AGENT_FIGURE_SORTS = ['rate', 'cost', 'tokens', 'margin'] as const;

const Money = z.string().describe('USD as a decimal string');

/** What an agent is billed at now: its own rate, else its org's. */
export const RateInEffect = z.object({
  amount: Money,
  source: z.enum(['agent', 'org']),
});

/** One agent's month, in the orgs the list covers (unattributed usage too, for all orgs). */
export const AgentMonthFigures = z.object({
  month: Month,
  revenue: Money,
  cost: Money,
  margin: z.number().nullable().describe('null without revenue'),
  tokens: z.number().describe('Input, cache reads and writes, and output (reasoning included)'),
});
export type AgentMonthFigures = z.infer<typeof AgentMonthFigures>;

export const AgentListItem = Agent.extend({
  rateInEffect: RateInEffect.nullable().describe('null for an unassigned agent without its own rate'),
  figures: AgentMonthFigures.nullable().describe(
    "The month's cost, tokens and margin: for owners, admins and billing admins only",
  ),
});
export type AgentListItem = z.infer<typeof AgentListItem>;

export { AGENT_IMPORT_COLUMNS } from '../domain/agent-import-columns';

export const AgentImportRow = z.object({
  line: z.number().int().describe('The line of the file the row starts on'),
  name: z.string(),
  handle: z.string(),
  email: z.string(),
  model: z.string(),
  org: z.string().describe('The org slug; empty leaves the agent unassigned'),
  rate: z.string().describe('Empty bills the org rate'),
  problems: z.array(z.string()),
});
export type AgentImportRow = z.infer<typeof AgentImportRow>;

const AgentRef = z.object({ id: Id }).strict();
const EffectiveAt = DateTime.optional().describe(
  'When the change took effect (default: now), for corrections after the fact: a time in the past only for owners and admins',
);
const AgentIds = z.array(Id).min(1, 'Choose at least one agent').max(1000, 'At most 1000 agents at once');

const Editable = z
  .object({
    email: z.union([z.literal(''), Email]),
    model: z.string().trim().max(100, 'A model name is at most 100 characters'),
    status: AgentStatus,
    description: Description,
    rate: Rate.nullable(),
  })
  .partial();

export const agentChannels = {
  'agents.list': channel({
    summary: 'Agents, a page at a time, with search, filters and sorting',
    kind: 'read',
    permission: 'agents.read',
    input: z
      .object({
        org: z.union([Id, z.literal('unassigned')]).optional(),
        search: z.string().trim().max(200).optional(),
        status: z.enum([...AGENT_STATUSES, 'stopped_by_org']).optional(),
        sort: z.enum([...AGENT_SORTS, ...AGENT_FIGURE_SORTS]).default('name'),
        direction: z.enum(['asc', 'desc']).default('asc'),
        page: z.number().int().min(1).max(100_000).default(1),
        pageSize: z.number().int().min(1).max(200).default(50),
        month: Month.optional().describe('The month of the figures (default: this UTC month)'),
      })
      .strict(),
    output: z.object({
      items: z.array(AgentListItem),
      lowMarginThreshold: z
        .number()
        .nullable()
        .describe('Margins below it are low; null when the items carry no figures'),
      total: z.number().int(),
      page: z.number(),
      pageSize: z.number(),
    }),
  }),
  'agents.get': channel({
    summary: 'One agent with its assignment history',
    kind: 'read',
    permission: 'agents.read',
    input: z.union([AgentRef, z.object({ handle: z.string().max(HANDLE_MAX) }).strict()]),
    output: Agent.extend({ history: z.array(Assignment) }),
  }),
  'agents.create': channel({
    summary: 'Register an agent, optionally straight into an org',
    kind: 'write',
    permission: 'agents.manage',
    input: Editable.extend({ name: DisplayName, handle: Handle, orgId: Id.optional() }).strict(),
    output: Agent,
  }),
  'agents.import': channel({
    summary: 'Register agents from a CSV file (name, handle, email, model, org, rate): all or none',
    kind: 'write',
    permission: 'agents.manage',
    input: z
      .object({
        csv: z.string().max(5_000_000, 'An import file is at most 5 MB'),
        dryRun: z.boolean().default(false).describe('Check every row and import nothing'),
      })
      .strict(),
    output: z.object({
      rows: z.array(AgentImportRow),
      problems: z.array(z.string()).describe('Problems of the file as a whole (its header)'),
      imported: z.number().int().describe('0 on a dry run or when any row has a problem'),
    }),
  }),
  'agents.update': channel({
    summary: 'Edit an agent (its handle never changes: usage imports key on it)',
    kind: 'write',
    permission: 'agents.read',
    input: Editable.extend({
      id: Id,
      name: DisplayName.optional(),
      from: EffectiveFrom.describe('The UTC day a new rate applies from (default: today, UTC)'),
      handle: z.undefined({ error: 'A handle cannot change: usage imports key on it' }).optional(),
    }).strict(),
    output: Agent,
  }),
  'agents.assign': channel({
    summary: 'Assign agents to an org; agents in another org are moved only with move: true',
    kind: 'write',
    permission: 'agents.manage',
    input: z
      .object({ agentIds: AgentIds, orgId: Id, at: EffectiveAt, move: z.boolean().default(false) })
      .strict(),
    output: z.object({ agents: z.array(Agent) }),
  }),
  'agents.unassign': channel({
    summary: 'Take agents out of their org',
    kind: 'write',
    permission: 'agents.manage',
    input: z.object({ agentIds: AgentIds, at: EffectiveAt }).strict(),
    output: z.object({ agents: z.array(Agent) }),
  }),
  'agents.delete': channel({
    summary: 'Delete an agent; refused while it is assigned (its history stays for billing)',
    kind: 'write',
    permission: 'agents.manage',
    input: AgentRef,
    output: z.object({ deleted: z.literal(true) }),
  }),
};
