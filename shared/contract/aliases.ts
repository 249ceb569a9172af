import * as z from 'zod';
import {
  ALIAS_KINDS,
  ALIAS_SOURCES,
  aliasPairs,
  IDENTITY_KINDS,
  USAGE_SOURCES,
} from '../domain/usage-identity';
import { channel } from './channel';
import { Id, Timestamp } from './fields';

export const UsageSource = z.enum(USAGE_SOURCES, { error: 'The source is openai, anthropic or litellm' });
export const IdentityKind = z.enum(IDENTITY_KINDS, {
  error: 'The kind is api_key, project, workspace, user or team',
});

const AliasSource = z.enum(ALIAS_SOURCES, { error: 'The source is orgdeck, openai, anthropic or litellm' });
const AliasKind = z.enum(ALIAS_KINDS, {
  error: 'The kind is handle (orgdeck), or api_key, project, workspace, user or team (providers)',
});

/**
 * What an alias stands for: an API key, project, workspace, user or team as a provider's usage
 * export names it, or (source orgdeck, kind handle) a handle our own usage files name.
 */
const AliasFields = z
  .object({
    source: AliasSource,
    kind: AliasKind,
    value: z
      .string()
      .trim()
      .min(1, 'The value is the id the export shows, e.g. key_abc123, or the handle the file names')
      .max(200, 'A value is at most 200 characters'),
  })
  .strict();

const pairedKind = <T extends { source: z.infer<typeof AliasSource>; kind: z.infer<typeof AliasKind> }>(
  identity: T,
  ctx: z.RefinementCtx,
) => {
  if (!aliasPairs(identity.source, identity.kind))
    ctx.addIssue({
      code: 'custom',
      path: ['kind'],
      message:
        identity.source === 'orgdeck'
          ? 'Orgdeck usage files name agents by handle: the kind is handle'
          : 'A provider export names an api_key, project, workspace, user or team, not a handle',
    });
};

export const AliasIdentity = AliasFields.superRefine(pairedKind);

export const AgentAlias = z.object({
  source: AliasSource,
  kind: AliasKind,
  value: z.string(),
  agent: z.object({ id: Id, handle: z.string(), name: z.string() }),
  createdAt: Timestamp,
});
export type AgentAlias = z.infer<typeof AgentAlias>;

// Aliases decide whose cost a provider's usage is: money, so owners and admins only.
export const aliasChannels = {
  'aliases.list': channel({
    summary:
      'The provider identities (API keys, projects, workspaces, users, teams) and old handles mapped to agents',
    kind: 'read',
    permission: 'billing.manage',
    input: z.object({ agentId: Id.optional() }).strict(),
    output: z.array(AgentAlias),
  }),
  'aliases.add': channel({
    summary:
      'Map a provider identity, or a handle no agent has in Orgdeck usage files, to an agent: its usage counts as the agent’s',
    kind: 'write',
    permission: 'billing.manage',
    input: AliasFields.extend({ agentId: Id }).strict().superRefine(pairedKind),
    output: AgentAlias,
  }),
  'aliases.remove': channel({
    summary: 'Unmap a provider identity or old handle; usage already imported stays where it was counted',
    kind: 'write',
    permission: 'billing.manage',
    input: AliasIdentity,
    output: z.object({ removed: z.literal(true) }),
  }),
};
