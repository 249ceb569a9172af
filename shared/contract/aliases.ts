import { z } from 'zod';
import { IDENTITY_KINDS, USAGE_SOURCES } from '../domain/usage-identity';
import { channel } from './channel';
import { Id, Timestamp } from './fields';

export const UsageSource = z.enum(USAGE_SOURCES, { error: 'The source is openai, anthropic or litellm' });
export const IdentityKind = z.enum(IDENTITY_KINDS, {
  error: 'The kind is api_key, project, workspace, user or team',
});

/** An API key, project, workspace, user or team as a provider's usage export names it. */
export const UsageIdentity = z
  .object({
    source: UsageSource,
    kind: IdentityKind,
    value: z
      .string()
      .trim()
      .min(1, 'The value is the id the export shows, e.g. key_abc123')
      .max(200, 'A value is at most 200 characters'),
  })
  .strict();

export const AgentAlias = z.object({
  source: UsageSource,
  kind: IdentityKind,
  value: z.string(),
  agent: z.object({ id: Id, handle: z.string(), name: z.string() }),
  createdAt: Timestamp,
});
export type AgentAlias = z.infer<typeof AgentAlias>;

// Aliases decide whose cost a provider's usage is: money, so owners and admins only.
export const aliasChannels = {
  'aliases.list': channel({
    summary: 'The provider identities (API keys, projects, workspaces, users, teams) mapped to agents',
    kind: 'read',
    permission: 'billing.manage',
    input: z.object({ agentId: Id.optional() }).strict(),
    output: z.array(AgentAlias),
  }),
  'aliases.add': channel({
    summary: 'Map a provider identity to an agent: its usage in provider exports counts as the agent’s',
    kind: 'write',
    permission: 'billing.manage',
    input: UsageIdentity.extend({ agentId: Id }).strict(),
    output: AgentAlias,
  }),
  'aliases.remove': channel({
    summary: 'Unmap a provider identity; usage already imported stays where it was counted',
    kind: 'write',
    permission: 'billing.manage',
    input: UsageIdentity,
    output: z.object({ removed: z.literal(true) }),
  }),
};
