import type { AuditEntry } from '../../../shared/contract/audit';
import type { Org } from '../../../shared/contract/orgs';
import { allows } from '../../../shared/domain/permissions';
import type { OrgTerm } from '../store/repos/billing-terms-repo';
import type { Principal } from './principal';

/**
 * What someone without billing access may see of an org's terms. A markup, or an allowance or
 * minimum set against cost, would tell a client the MSP's cost; the rate and billing mode are what
 * the client is charged, and stay.
 */
const BILLING_ONLY_TERMS: ReadonlySet<OrgTerm> = new Set(['usage_markup', 'included_usage', 'minimum']);
/**
 * The summary fields each audit action holds back: a change of terms its usage terms, a model's
 * markup its `markup` (its model and day stay).
 */
const HIDDEN_BY_ACTION: ReadonlyMap<string, ReadonlySet<string>> = new Map<string, ReadonlySet<string>>([
  ['org.terms_changed', BILLING_ONLY_TERMS],
  ['org.markup_set', new Set(['markup'])],
]);
/** Said in place of the terms an audit entry held back, so the entry does not read as empty. */
const WITHHELD = 'usage terms, shown with billing access';

/** The org as `viewer` may see it: without billing access, no usage terms. */
export function orgForViewer(viewer: Principal, org: Org): Org {
  if (allows(viewer, 'billing.read')) return org;
  const { usageMarkup: _markup, includedUsage: _included, minimum: _minimum, ...shown } = org;
  return shown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An audit entry as `viewer` may see it: without billing access, the usage terms a change of terms
 * or of a model's markup recorded are held back, as orgForViewer holds them back from the org.
 */
export function entryForViewer(viewer: Principal, entry: AuditEntry): AuditEntry {
  if (allows(viewer, 'billing.read')) return entry;
  const hidden = HIDDEN_BY_ACTION.get(entry.action);
  if (hidden === undefined) return entry;
  let held = false;
  const shown = (half: unknown) => {
    if (!isRecord(half)) return half;
    const kept = Object.entries(half).filter(([term]) => !hidden.has(term));
    held ||= kept.length < Object.keys(half).length;
    return Object.fromEntries(kept);
  };
  const summary = { ...entry.summary };
  for (const half of ['before', 'after'] as const) if (half in summary) summary[half] = shown(summary[half]);
  return { ...entry, summary: held ? { ...summary, withheld: WITHHELD } : summary };
}
