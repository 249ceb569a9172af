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

/**
 * What an agent alias may stand for: a provider identity, or a handle our own usage files name
 * that no agent has (an agent renamed or retired), so its rows count as another agent's.
 */
export const ALIAS_SOURCES = ['orgdeck', ...USAGE_SOURCES] as const;
export type AliasSource = (typeof ALIAS_SOURCES)[number];
export const ALIAS_KINDS = ['handle', ...IDENTITY_KINDS] as const;
export type AliasKind = (typeof ALIAS_KINDS)[number];

/** Our own usage files name agents by handle and nothing else; providers never do. */
export const HANDLE_ALIAS = { source: 'orgdeck', kind: 'handle' } as const;

export interface AliasIdentity {
  source: AliasSource;
  kind: AliasKind;
  value: string;
}

/** Whether the kind is one the source names: handle for orgdeck, the others for providers. */
export const aliasPairs = (source: AliasSource, kind: AliasKind) =>
  (source === HANDLE_ALIAS.source) === (kind === HANDLE_ALIAS.kind);

/** The usage file formats `usage import --format` names; `auto` detects one of them by content. */
export const USAGE_FORMATS = ['orgdeck', ...USAGE_SOURCES] as const;
export type UsageFormat = (typeof USAGE_FORMATS)[number];

/** Exports of sums per time bucket, where importing a bucket again replaces its earlier counts. */
export const BUCKET_FORMATS: ReadonlySet<UsageFormat> = new Set(['openai', 'anthropic']);
