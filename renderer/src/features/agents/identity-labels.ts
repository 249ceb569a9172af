import type { AliasIdentity, AliasKind, AliasSource } from '../../../../shared/domain/usage-identity';

export const SOURCE_LABELS: Record<AliasSource, string> = {
  orgdeck: 'Orgdeck',
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  litellm: 'LiteLLM',
};

export const KIND_LABELS: Record<AliasKind, string> = {
  handle: 'Handle',
  api_key: 'API key',
  project: 'Project',
  workspace: 'Workspace',
  user: 'User',
  team: 'Team',
};

/** The kind inside a sentence: "Anthropic API key apikey_01…", "Orgdeck handle legacy-helpdesk". */
export const KIND_NOUNS: Record<AliasKind, string> = {
  handle: 'handle',
  api_key: 'API key',
  project: 'project',
  workspace: 'workspace',
  user: 'user',
  team: 'team',
};

/** An identity inside a sentence: "OpenAI project proj_abc", "Orgdeck handle legacy-helpdesk". */
export const identityName = (identity: AliasIdentity) =>
  `${SOURCE_LABELS[identity.source]} ${KIND_NOUNS[identity.kind]} ${identity.value}`;

const options = <K extends string>(labels: Record<K, string>) =>
  (Object.entries(labels) as [K, string][]).map(([value, label]) => ({ value, label }));

export const SOURCE_OPTIONS = options(SOURCE_LABELS);
export const KIND_OPTIONS = options(KIND_LABELS);
