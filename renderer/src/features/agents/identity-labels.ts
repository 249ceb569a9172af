import type { IdentityKind, UsageSource } from '../../../../shared/domain/usage-identity';

export const SOURCE_LABELS: Record<UsageSource, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  litellm: 'LiteLLM',
};

export const KIND_LABELS: Record<IdentityKind, string> = {
  api_key: 'API key',
  project: 'Project',
  workspace: 'Workspace',
  user: 'User',
  team: 'Team',
};

/** The kind inside a sentence: "Anthropic API key apikey_01…", "OpenAI project proj_…". */
export const KIND_NOUNS: Record<IdentityKind, string> = {
  api_key: 'API key',
  project: 'project',
  workspace: 'workspace',
  user: 'user',
  team: 'team',
};

const options = <K extends string>(labels: Record<K, string>) =>
  (Object.entries(labels) as [K, string][]).map(([value, label]) => ({ value, label }));

export const SOURCE_OPTIONS = options(SOURCE_LABELS);
export const KIND_OPTIONS = options(KIND_LABELS);
