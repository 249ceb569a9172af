import type * as z from 'zod';
import type { PII_ENTITIES, POLICY_KINDS, PolicyConfig } from '../../../../shared/contract/policies';

export type PolicyKind = (typeof POLICY_KINDS)[number];
export type PiiEntity = (typeof PII_ENTITIES)[number];
/** A config as a form holds it: the contract's input, before its defaults apply. */
export type ConfigDraft = z.input<typeof PolicyConfig>;

export const KINDS: Record<PolicyKind, { label: string; hint: string }> = {
  topic_block: { label: 'Topic block', hint: 'Agents decline to discuss the listed topics.' },
  pii_redaction: {
    label: 'PII redaction',
    hint: 'Personal data of the chosen kinds is masked in what agents say and store.',
  },
  spend_limit: {
    label: 'Spend limit',
    hint: 'Warns, or stops the agents, once the month’s spend reaches the limit.',
  },
  approval_required: {
    label: 'Approval required',
    hint: 'The listed tools run only once one of the approvers says yes.',
  },
  tool_allowlist: { label: 'Tool allowlist', hint: 'Agents may use the listed tools and no others.' },
};

export const PII_LABELS: Record<PiiEntity, string> = {
  email: 'Email addresses',
  phone: 'Phone numbers',
  credit_card: 'Credit card numbers',
  iban: 'IBANs',
  ssn: 'Social security numbers',
  address: 'Postal addresses',
  person_name: 'Names of people',
};

export const DEFAULT_REPLACEMENT = '[redacted]';

/** What a new policy of each kind starts from: nothing chosen yet, so the contract says what is missing. */
export function emptyConfig(kind: PolicyKind): ConfigDraft {
  switch (kind) {
    case 'topic_block':
      return { kind, topics: [] };
    case 'pii_redaction':
      return { kind, entities: [], replacement: DEFAULT_REPLACEMENT };
    case 'spend_limit':
      return { kind, monthlyUsd: '', action: 'warn' };
    case 'approval_required':
      return { kind, tools: [], approvers: [] };
    case 'tool_allowlist':
      return { kind, tools: [] };
  }
}

const some = (items: readonly string[]) =>
  items.length <= 3 ? items.join(', ') : `${items.slice(0, 3).join(', ')} and ${items.length - 3} more`;

/** One line saying what a config does, for the policy list. */
export function describeConfig(config: PolicyConfig): string {
  switch (config.kind) {
    case 'topic_block':
      return `Blocks ${some(config.topics)}`;
    case 'pii_redaction':
      return `Redacts ${some(config.entities.map((entity) => PII_LABELS[entity].toLowerCase()))}`;
    case 'spend_limit':
      return `${config.action === 'block' ? 'Blocks' : 'Warns'} at $${config.monthlyUsd} a month`;
    case 'approval_required':
      return `${some(config.tools)} need approval from ${some(config.approvers)}`;
    case 'tool_allowlist':
      return `Allows only ${some(config.tools)}`;
  }
}
