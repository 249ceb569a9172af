// Here rather than in the contract so screens list them without loading zod and its schemas.

/** The kinds of guardrail policy. */
export const POLICY_KINDS = [
  'topic_block',
  'pii_redaction',
  'spend_limit',
  'approval_required',
  'tool_allowlist',
] as const;
/** The kinds of personal data a redaction policy can take out. */
export const PII_ENTITIES = [
  'email',
  'phone',
  'credit_card',
  'iban',
  'ssn',
  'address',
  'person_name',
] as const;
