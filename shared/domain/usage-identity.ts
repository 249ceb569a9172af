/**
 * Who a provider's usage export says used the tokens: an API key, project, workspace, user or team
 * of one provider, which an agent alias maps to an Orgdeck agent.
 */
export const USAGE_SOURCES = ['openai', 'anthropic', 'litellm'] as const;
export type UsageSource = (typeof USAGE_SOURCES)[number];

export const IDENTITY_KINDS = ['api_key', 'project', 'workspace', 'user', 'team'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

export interface UsageIdentity {
  source: UsageSource;
  kind: IdentityKind;
  value: string;
}

/** The usage file formats `usage import --format` names; `auto` detects one of them by content. */
export const USAGE_FORMATS = ['orgdeck', ...USAGE_SOURCES] as const;
export type UsageFormat = (typeof USAGE_FORMATS)[number];

/** Exports of sums per time bucket, where importing a bucket again replaces its earlier counts. */
export const BUCKET_FORMATS: ReadonlySet<UsageFormat> = new Set(['openai', 'anthropic']);
