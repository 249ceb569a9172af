import * as z from 'zod';
import { channel } from './channel';
import {
  BillingMode,
  ContactEmail,
  Day,
  Description,
  DisplayName,
  EffectiveFrom,
  Id,
  MarkupPercent,
  Rate,
  Slug,
  Timestamp,
  TimeZone,
} from './fields';

export const ORG_STATUSES = ['active', 'inactive', 'deleted'] as const;

export const Org = z.object({
  id: Id,
  slug: z.string(),
  name: z.string(),
  isOwner: z.boolean().describe('The platform operator’s own organization'),
  status: z.enum(ORG_STATUSES),
  timezone: z.string(),
  rate: z.string().describe('USD per agent per month'),
  billingMode: BillingMode,
  contactName: z.string(),
  contactEmail: z.string(),
  description: z.string(),
  budget: z.string().nullable().describe('Monthly cost cap in USD; null for none'),
  // The usage terms are the MSP's: a markup or an allowance at cost would tell a client the cost.
  usageMarkup: z
    .string()
    .nullable()
    .optional()
    .describe(
      'Percent on top of usage cost rebilled to the org today; null: usage not rebilled; absent for users without billing access',
    ),
  includedUsage: z
    .string()
    .optional()
    .describe(
      'USD of usage cost included each month before the usage fee applies; absent for users without billing access',
    ),
  minimum: z
    .string()
    .optional()
    .describe(
      'Minimum monthly charge in USD; revenue is topped up to it; absent for users without billing access',
    ),
  alertThresholds: z
    .array(z.number().int())
    .describe('Budget alerts at these percentages of the budget, on the cost so far and on the forecast'),
  agentCount: z.number().int().describe('Agents assigned now'),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  deletedAt: Timestamp.nullable(),
  purgeAfter: Timestamp.nullable().describe('When a deleted org is purged for good, unless restored'),
});
export type Org = z.infer<typeof Org>;

const OrgRef = z.object({ id: Id }).strict();

/** Budget alert thresholds: whole percentages of the budget, each once; an empty list turns alerts off. */
export const AlertThresholds = z
  .array(
    z
      .number({ error: 'A threshold is a whole percentage, like 80' })
      .int('A threshold is a whole percentage, like 80')
      .min(1, 'A threshold is at least 1%')
      .max(1000, 'A threshold is at most 1000%'),
  )
  .max(10, 'At most 10 thresholds')
  .refine((list) => new Set(list).size === list.length, 'Each threshold once')
  .describe('Percentages of the monthly budget, like [50, 80, 100]; [] for no alerts');

/** What can be set at creation and edited later; the slug is set once. */
const Editable = z
  .object({
    contactName: z.string().trim().max(100, 'A contact name is at most 100 characters'),
    contactEmail: ContactEmail,
    description: Description,
    timezone: TimeZone,
    rate: Rate,
    billingMode: BillingMode,
    budget: Rate.nullable().describe('Monthly cost cap in USD; null removes it'),
    alertThresholds: AlertThresholds,
  })
  .partial();

/** Dated billing terms an edit can change, each from the edit's `from` day on. */
const DatedTerms = z
  .object({
    usageMarkup: MarkupPercent.nullable().describe('null: stop rebilling usage from that day'),
    includedUsage: Rate.describe('USD of usage cost included each month'),
    minimum: Rate.describe('Minimum monthly charge in USD; 0 for none'),
    from: EffectiveFrom,
  })
  .partial();

const TermChange = z.object({ from: Day, value: z.string().nullable() });

/** An org's billing terms with their history: what each dated change set, from when. */
export const OrgBillingTerms = z.object({
  orgId: Id,
  rate: z.object({ base: z.string(), changes: z.array(TermChange) }),
  billingMode: z.object({ base: BillingMode, changes: z.array(TermChange) }),
  usageMarkup: z.object({ base: z.null(), changes: z.array(TermChange) }),
  includedUsage: z.object({ base: z.string(), changes: z.array(TermChange) }),
  minimum: z.object({ base: z.string(), changes: z.array(TermChange) }),
  modelMarkups: z.array(z.object({ model: z.string(), changes: z.array(TermChange) })),
});
export type OrgBillingTerms = z.infer<typeof OrgBillingTerms>;

export const orgChannels = {
  'orgs.list': channel({
    summary: 'Organizations the session may see, by name',
    kind: 'read',
    permission: 'orgs.read',
    input: z
      .object({
        search: z.string().trim().max(200).optional(),
        status: z
          .enum(['current', ...ORG_STATUSES])
          .default('current')
          .describe('current = active and inactive; deleted ones are restorable for 30 days'),
      })
      .strict(),
    output: z.array(Org),
  }),
  'orgs.get': channel({
    summary: 'One organization, by id or by slug',
    kind: 'read',
    permission: 'orgs.read',
    input: z.union([OrgRef, z.object({ slug: z.string().max(64) }).strict()]),
    output: Org,
  }),
  'orgs.create': channel({
    summary: 'Create a client organization',
    kind: 'write',
    permission: 'orgs.manage',
    input: Editable.extend({
      name: DisplayName,
      slug: Slug.optional().describe('Suggested from the name when left out; cannot change later'),
    }).strict(),
    output: Org,
  }),
  'orgs.rename': channel({
    summary: 'Give an organization a new display name (its slug stays)',
    kind: 'write',
    permission: 'orgs.manage',
    input: z.object({ id: Id, name: DisplayName }).strict(),
    output: Org,
  }),
  'orgs.update': channel({
    summary: 'Edit an organization: everything but its slug',
    kind: 'write',
    permission: 'orgs.edit',
    input: Editable.extend(DatedTerms.shape)
      .extend({
        id: Id,
        name: DisplayName.optional(),
        slug: z.undefined({ error: 'A slug cannot change after the organization is created' }).optional(),
      })
      .strict(),
    output: Org,
  }),
  'orgs.billingTerms': channel({
    summary: 'An organization’s rates, billing mode and usage terms with their history',
    kind: 'read',
    permission: 'billing.read',
    input: OrgRef,
    output: OrgBillingTerms,
  }),
  'orgs.setModelMarkup': channel({
    summary: 'Set the usage markup of one model for an organization from a day on (null: the org’s markup)',
    kind: 'write',
    permission: 'billing.manage',
    input: z
      .object({
        id: Id,
        model: z.string().trim().min(1, 'Name the model').max(200),
        pct: MarkupPercent.nullable(),
        from: EffectiveFrom,
      })
      .strict(),
    output: OrgBillingTerms,
  }),
  'orgs.deactivate': channel({
    summary: 'Deactivate an organization: its agents stop ("stopped by org") until it is activated',
    kind: 'write',
    permission: 'orgs.manage',
    input: OrgRef,
    output: Org,
  }),
  'orgs.activate': channel({
    summary: 'Activate an inactive organization again',
    kind: 'write',
    permission: 'orgs.manage',
    input: OrgRef,
    output: Org,
  }),
  'orgs.delete': channel({
    summary: 'Delete an organization (restorable for 30 days); refused while agents are assigned',
    kind: 'write',
    permission: 'orgs.delete',
    input: z
      .object({ id: Id, confirmName: z.string().max(200).describe('The org’s name, typed to confirm') })
      .strict(),
    output: Org,
  }),
  'orgs.restore': channel({
    summary: 'Bring back a deleted organization with everything it had',
    kind: 'write',
    permission: 'orgs.delete',
    input: OrgRef,
    output: Org,
  }),
};
