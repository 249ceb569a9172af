import * as z from 'zod';
import { PII_ENTITIES, POLICY_KINDS } from '../domain/policies';
import { channel } from './channel';
import { Email, Id, Rate, Timestamp } from './fields';

export { PII_ENTITIES, POLICY_KINDS };

const Words = (what: string) =>
  z
    .array(z.string().trim().min(1).max(100))
    .min(1, `List at least one ${what}`)
    .max(200, `At most 200 ${what}s`);

/** The version an edit was made on: CONFLICT when the policy has moved on since (another editor). */
const ExpectedVersion = z
  .number()
  .int()
  .min(1)
  .optional()
  .describe('The version the change was made on; CONFLICT when the policy has a newer one');

/** Each kind's settings, checked when a policy is saved. */
export const PolicyConfig = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('topic_block'),
      topics: Words('topic'),
      message: z.string().max(500).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('pii_redaction'),
      entities: z.array(z.enum(PII_ENTITIES)).min(1, 'Choose at least one kind of personal data'),
      replacement: z.string().max(40).default('[redacted]'),
    })
    .strict(),
  z.object({ kind: z.literal('spend_limit'), monthlyUsd: Rate, action: z.enum(['warn', 'block']) }).strict(),
  z
    .object({
      kind: z.literal('approval_required'),
      tools: Words('tool'),
      approvers: z.array(Email).min(1, 'Name at least one approver').max(50),
    })
    .strict(),
  z.object({ kind: z.literal('tool_allowlist'), tools: Words('tool') }).strict(),
]);
export type PolicyConfig = z.infer<typeof PolicyConfig>;

export const Policy = z.object({
  id: Id,
  orgId: Id,
  name: z.string(),
  description: z.string(),
  kind: z.enum(POLICY_KINDS),
  config: PolicyConfig,
  enabled: z.boolean(),
  version: z.number().describe('Every edit is a new version'),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Policy = z.infer<typeof Policy>;

export const PolicyVersion = z.object({
  version: z.number(),
  name: z.string(),
  description: z.string(),
  config: PolicyConfig,
  enabled: z.boolean(),
  at: Timestamp,
  actor: z.string(),
  change: z.string().describe('created, edited, enabled, disabled, restored from vN'),
});

export const PolicyDefaults = z.object({
  defaultDecision: z.enum(['allow', 'deny']),
  approvalTimeoutMinutes: z.number().int().min(1).max(10_080),
  requireDescription: z.boolean(),
});
export type PolicyDefaults = z.infer<typeof PolicyDefaults>;

const Name = z.string().trim().min(1, 'A name is required').max(100, 'A name is at most 100 characters');
const Description = z.string().trim().max(2000);

export const policyChannels = {
  'policies.list': channel({
    summary: 'An org’s guardrail policies',
    kind: 'read',
    permission: 'policies.read',
    input: z.object({ orgId: Id }).strict(),
    output: z.array(Policy),
  }),
  'policies.coverage': channel({
    summary: 'For every client org the caller sees, how many policies of each kind it has, on and off',
    kind: 'read',
    permission: 'policies.read',
    input: z.object({}).strict(),
    output: z.array(
      z.object({
        id: Id,
        slug: z.string(),
        name: z.string(),
        kinds: z
          .array(z.object({ kind: z.enum(POLICY_KINDS), enabled: z.number(), disabled: z.number() }))
          .describe('Every kind, in the order of POLICY_KINDS'),
      }),
    ),
  }),
  'policies.get': channel({
    summary: 'A policy with every version',
    kind: 'read',
    permission: 'policies.read',
    input: z.object({ id: Id }).strict(),
    output: Policy.extend({ versions: z.array(PolicyVersion) }),
  }),
  'policies.create': channel({
    summary: 'Add a guardrail policy to an org',
    kind: 'write',
    permission: 'policies.manage',
    input: z
      .object({
        orgId: Id,
        name: Name,
        description: Description.optional(),
        config: PolicyConfig,
        enabled: z.boolean().default(true),
      })
      .strict(),
    output: Policy,
  }),
  'policies.update': channel({
    summary: 'Edit a policy (a new version; its kind stays)',
    kind: 'write',
    permission: 'policies.manage',
    input: z
      .object({
        id: Id,
        name: Name.optional(),
        description: Description.optional(),
        config: PolicyConfig.optional(),
        enabled: z.boolean().optional(),
        expectedVersion: ExpectedVersion,
      })
      .strict(),
    output: Policy,
  }),
  'policies.restore': channel({
    summary: 'Make an earlier version current again (as a new version)',
    kind: 'write',
    permission: 'policies.manage',
    input: z.object({ id: Id, version: z.number().int().min(1), expectedVersion: ExpectedVersion }).strict(),
    output: Policy,
  }),
  'policies.delete': channel({
    summary: 'Delete a policy and its versions',
    kind: 'write',
    permission: 'policies.manage',
    input: z.object({ id: Id }).strict(),
    output: z.object({ deleted: z.literal(true) }),
  }),
  'policies.copy': channel({
    summary: 'Copy a policy to other orgs (owners and admins)',
    kind: 'write',
    permission: 'orgs.manage',
    input: z.object({ id: Id, orgIds: z.array(Id).min(1).max(1000) }).strict(),
    output: z.array(Policy),
  }),
  'policies.defaults': channel({
    summary: 'An org’s policy defaults',
    kind: 'read',
    permission: 'policies.read',
    input: z.object({ orgId: Id }).strict(),
    output: PolicyDefaults,
  }),
  'policies.setDefaults': channel({
    summary: 'Change an org’s policy defaults',
    kind: 'write',
    permission: 'policies.manage',
    input: PolicyDefaults.partial().extend({ orgId: Id }).strict(),
    output: PolicyDefaults,
  }),
};
