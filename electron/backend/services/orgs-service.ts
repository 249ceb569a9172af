import { randomUUID } from 'node:crypto';
import type { ChannelParsedInput } from '../../../shared/contract';
import { AppError } from '../../../shared/contract/envelope';
import type { Org, OrgBillingTerms } from '../../../shared/contract/orgs';
import { markupBasisPoints, markupText, type Timeline, valueOn } from '../../../shared/domain/billing-terms';
import { DAY_MS } from '../../../shared/domain/days';
import { DEFAULT_ALERT_THRESHOLDS } from '../../../shared/domain/forecast';
import { formatMicros, parseMicros } from '../../../shared/domain/money';
import { allows } from '../../../shared/domain/permissions';
import { slugify } from '../../../shared/domain/slug';
import type { Clock } from '../store/clock';
import type { OrgScope } from '../store/org-scope';
import type { OrgTerm, OrgTermRow } from '../store/repos/billing-terms-repo';
import type { EditableOrgFields, OrgRow, OrgStatusFilter, OrgWithCounts } from '../store/repos/orgs-repo';
import type { Store } from '../store/store';
import { type AuditLog, changes, SYSTEM_ACTOR } from './audit-log';
import { refuseBackdating } from './effective-date';
import type { Principal } from './principal';

/** How long a deleted org can be restored before it is purged with everything it owns. */
export const RESTORE_DAYS = 30;
const RESTORE_MS = RESTORE_DAYS * DAY_MS;

/** The usage terms of an org with none: usage not rebilled, nothing included, no minimum. */
const NO_USAGE_TERMS = { usageMarkup: null, includedUsage: '0.00', minimum: '0.00' };

export function toOrg(
  row: OrgWithCounts,
  usage: Pick<Org, 'usageMarkup' | 'includedUsage' | 'minimum'> = NO_USAGE_TERMS,
): Org {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    isOwner: row.is_owner === 1,
    status: row.deleted_at ? 'deleted' : row.active ? 'active' : 'inactive',
    timezone: row.timezone,
    rate: formatMicros(row.rate_micros, 2),
    billingMode: row.billing_mode,
    contactName: row.contact_name,
    contactEmail: row.contact_email,
    description: row.description,
    budget: row.budget_micros === null ? null : formatMicros(row.budget_micros, 2),
    ...usage,
    alertThresholds: JSON.parse(row.alert_thresholds) as number[],
    agentCount: row.agent_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
    purgeAfter: row.deleted_at ? new Date(Date.parse(row.deleted_at) + RESTORE_MS).toISOString() : null,
  };
}

const insertable = ({ agent_count: _count, ...row }: OrgWithCounts): OrgRow => row;

const editableOf = (row: OrgRow): EditableOrgFields => ({
  name: row.name,
  timezone: row.timezone,
  rate_micros: row.rate_micros,
  billing_mode: row.billing_mode,
  contact_name: row.contact_name,
  contact_email: row.contact_email,
  description: row.description,
  budget_micros: row.budget_micros,
  alert_thresholds: row.alert_thresholds,
});

type Actor = Pick<Principal, 'userId' | 'label'>;
type OrgPatch = Omit<ChannelParsedInput<'orgs.update'>, 'id' | 'slug'>;

/** A dated term's value as org_terms holds it. */
type TermValue = Pick<OrgTermRow, 'amount' | 'mode'>;

/** An org's terms as timelines: the orgs row's rate and billing mode from the beginning, then org_terms. */
function timelines(row: OrgRow, rows: OrgTermRow[]): Record<OrgTerm, Timeline<TermValue>> {
  const make = (base: TermValue): Timeline<TermValue> => ({ base, changes: [] });
  const result: Record<OrgTerm, Timeline<TermValue>> = {
    rate: make({ amount: row.rate_micros, mode: null }),
    billing_mode: make({ amount: null, mode: row.billing_mode }),
    usage_markup: make({ amount: null, mode: null }),
    included_usage: make({ amount: 0, mode: null }),
    minimum: make({ amount: 0, mode: null }),
  };
  for (const term of rows) result[term.term].changes.push({ from: term.effective_from, value: term });
  return result;
}

const termText = (term: OrgTerm, value: TermValue): string | null =>
  term === 'billing_mode'
    ? value.mode
    : value.amount === null
      ? null
      : term === 'usage_markup'
        ? markupText(value.amount)
        : formatMicros(value.amount, 2);

/** The dated terms a patch sets, as org_terms values. */
function datedTerms(patch: OrgPatch): [OrgTerm, TermValue][] {
  const terms: [OrgTerm, TermValue][] = [];
  if (patch.rate !== undefined) terms.push(['rate', { amount: parseMicros(patch.rate), mode: null }]);
  if (patch.billingMode !== undefined)
    terms.push(['billing_mode', { amount: null, mode: patch.billingMode }]);
  if (patch.usageMarkup !== undefined)
    terms.push([
      'usage_markup',
      {
        amount: patch.usageMarkup === null ? null : Number(markupBasisPoints(patch.usageMarkup)),
        mode: null,
      },
    ]);
  if (patch.includedUsage !== undefined)
    terms.push(['included_usage', { amount: parseMicros(patch.includedUsage), mode: null }]);
  if (patch.minimum !== undefined)
    terms.push(['minimum', { amount: parseMicros(patch.minimum), mode: null }]);
  return terms;
}

function applyPatch(fields: EditableOrgFields, patch: OrgPatch): EditableOrgFields {
  return {
    name: patch.name ?? fields.name,
    timezone: patch.timezone ?? fields.timezone,
    rate_micros: fields.rate_micros,
    billing_mode: fields.billing_mode,
    contact_name: patch.contactName ?? fields.contact_name,
    contact_email: patch.contactEmail ?? fields.contact_email,
    description: patch.description ?? fields.description,
    budget_micros:
      patch.budget === undefined
        ? fields.budget_micros
        : patch.budget === null
          ? null
          : parseMicros(patch.budget),
    alert_thresholds:
      patch.alertThresholds === undefined
        ? fields.alert_thresholds
        : JSON.stringify([...patch.alertThresholds].sort((a, b) => a - b)),
  };
}

const MONEY_FIELDS = ['rate_micros', 'billing_mode', 'budget_micros', 'alert_thresholds'] as const;

/** Rates, billing mode and budgets are money (owners, admins, billing admins); the rest is the org's running. */
function mayChange(actor: Principal, before: EditableOrgFields, after: EditableOrgFields): void {
  const changed = (Object.keys(after) as (keyof EditableOrgFields)[]).filter(
    (key) => after[key] !== before[key],
  );
  const money = changed.filter((key) => (MONEY_FIELDS as readonly string[]).includes(key));
  if (money.length > 0 && !allows(actor, 'billing.manage'))
    throw new AppError(
      'FORBIDDEN',
      'Only owners, admins and billing admins change rates, billing mode, budgets or budget alerts.',
    );
  if (money.length < changed.length && !allows(actor, 'orgs.manage'))
    throw new AppError('FORBIDDEN', 'Only owners and admins change an organization’s details.');
}

export function createOrgsService(store: Store, clock: Clock, audit: AuditLog) {
  const today = () => clock.now().toISOString().slice(0, 10);

  function termsOf(row: OrgRow, changes = store.billingTerms.orgTermsOf(row.id)) {
    return timelines(row, changes);
  }

  /** The org with the terms in effect today (UTC); `changes`, its dated term changes when read already. */
  function present(row: OrgWithCounts, changes?: OrgTermRow[]): Org {
    const terms = termsOf(row, changes);
    const day = today();
    const now = (term: OrgTerm) => valueOn(terms[term], day);
    return toOrg(
      { ...row, rate_micros: now('rate').amount ?? 0, billing_mode: now('billing_mode').mode ?? 'prorated' },
      {
        usageMarkup: termText('usage_markup', now('usage_markup')),
        includedUsage: termText('included_usage', now('included_usage')) ?? '0.00',
        minimum: termText('minimum', now('minimum')) ?? '0.00',
      },
    );
  }

  function billingTerms(row: OrgRow): OrgBillingTerms {
    const terms = termsOf(row);
    const history = (term: OrgTerm) =>
      terms[term].changes.map((change) => ({ from: change.from, value: termText(term, change.value) }));
    const markups = new Map<string, { from: string; value: string | null }[]>();
    for (const markup of store.billingTerms.markupsOf(row.id)) {
      const changes = markups.get(markup.model) ?? [];
      changes.push({
        from: markup.effective_from,
        value: markup.markup_bp === null ? null : markupText(markup.markup_bp),
      });
      markups.set(markup.model, changes);
    }
    return {
      orgId: row.id,
      rate: { base: formatMicros(row.rate_micros, 2), changes: history('rate') },
      billingMode: { base: row.billing_mode, changes: history('billing_mode') },
      usageMarkup: { base: null, changes: history('usage_markup') },
      includedUsage: { base: '0.00', changes: history('included_usage') },
      minimum: { base: '0.00', changes: history('minimum') },
      modelMarkups: [...markups].map(([model, changes]) => ({ model, changes })),
    };
  }

  /** Money changes need billing.manage; a day in the past, an owner or admin. */
  function mayChangeTerms(actor: Principal, from: string): void {
    if (!allows(actor, 'billing.manage'))
      throw new AppError(
        'FORBIDDEN',
        'Only owners, admins and billing admins change rates, billing mode or usage terms.',
      );
    refuseBackdating(actor, from, today());
  }

  /** The org if this scope may see it; the same NOT_FOUND for "absent" and "not yours", so ids do not leak. */
  function visible(scope: OrgScope, id: string): OrgWithCounts {
    const row = store.orgs.get(scope, id);
    if (!row || (row.deleted_at && !scope.seesAll)) throw new AppError('NOT_FOUND', 'No such organization.');
    return row;
  }

  function live(scope: OrgScope, id: string): OrgWithCounts {
    const row = visible(scope, id);
    if (row.deleted_at) throw new AppError('CONFLICT', `${row.name} is deleted: restore it first.`);
    return row;
  }

  function purge(id: string): void {
    // Its usage rollups go with it.
    store.billingRevision.writeRollups(() => {
      // A user whose only org this was belongs to it and goes with it; other memberships cascade away.
      // Recorded as any deletion is: a restore of an older backup keeps them out (carryAccessAsToday).
      for (const userId of store.users.onlyIn(id)) {
        const email = store.users.byId(userId)?.email;
        store.users.remove(userId);
        audit.record(SYSTEM_ACTOR, {
          action: 'user.deleted',
          orgId: null,
          target: { type: 'user', id: userId },
          summary: { before: { email }, after: { purgedWithOrg: id } },
        });
      }
      store.usage.dropOrg(id);
      // Its documents go by the foreign keys; their search entries (full copies of the text) not.
      store.knowledge.unindexOrg(id);
      store.orgs.remove(id);
      audit.record(SYSTEM_ACTOR, {
        action: 'org.purged',
        orgId: id,
        target: { type: 'org', id },
        summary: { after: { purged: true } },
      });
    });
  }

  return {
    list(scope: OrgScope, filter: { search?: string; status: OrgStatusFilter }): Org[] {
      if (filter.status === 'deleted' && !scope.seesAll) return [];
      // Every org's term changes in one read: a read per org made the list of 500 take 10 ms.
      const changesOf = new Map<string, OrgTermRow[]>();
      for (const change of store.billingTerms.orgTerms()) {
        const changes = changesOf.get(change.org_id);
        if (changes) changes.push(change);
        else changesOf.set(change.org_id, [change]);
      }
      return store.orgs.list(scope, filter).map((row) => present(row, changesOf.get(row.id) ?? []));
    },

    get: (scope: OrgScope, id: string): Org => present(visible(scope, id)),

    getBySlug(scope: OrgScope, slug: string): Org {
      const row = store.orgs.getBySlug(scope, slug);
      return present(visible(scope, row?.id ?? ''));
    },

    create(actor: Actor, input: ChannelParsedInput<'orgs.create'>): Org {
      const slug = input.slug ?? slugify(input.name);
      if (!slug) {
        throw new AppError(
          'VALIDATION',
          'The name has no letters or digits to make a slug from: choose a slug.',
          {
            issues: [{ path: ['slug'], message: 'Choose a slug' }],
          },
        );
      }
      const now = clock.now().toISOString();
      const fields = applyPatch(
        {
          name: input.name,
          timezone: 'UTC',
          // A new org's rate and billing mode hold from the beginning.
          rate_micros: input.rate === undefined ? 0 : parseMicros(input.rate),
          billing_mode: input.billingMode ?? 'prorated',
          contact_name: '',
          contact_email: '',
          description: '',
          budget_micros: null,
          alert_thresholds: JSON.stringify(DEFAULT_ALERT_THRESHOLDS),
        },
        input,
      );
      const row: OrgWithCounts = {
        ...fields,
        agent_count: 0,
        id: randomUUID(),
        slug,
        is_owner: 0,
        active: 1,
        deleted_at: null,
        created_at: now,
        updated_at: now,
      };
      store.transaction(() => {
        const holder = store.orgs.nameOfSlug(slug);
        if (holder !== undefined) {
          throw new AppError('CONFLICT', `The slug "${slug}" is already used by ${holder}.`, {
            issues: [{ path: ['slug'], message: 'This slug is taken' }],
          });
        }
        store.orgs.insert(insertable(row));
        audit.record(actor, {
          action: 'org.created',
          orgId: row.id,
          target: { type: 'org', id: row.id },
          summary: { after: { slug, ...fields } },
        });
      });
      return toOrg(row);
    },

    update(actor: Principal, scope: OrgScope, id: string, patch: OrgPatch): Org {
      return store.transaction(() => {
        const row = live(scope, id);
        const before = editableOf(row);
        const after = applyPatch(before, patch);
        const diff = changes(before, after);
        const now = clock.now().toISOString();
        if (diff) {
          mayChange(actor, before, after);
          store.orgs.update(id, after, now);
          audit.record(actor, {
            action: 'org.updated',
            orgId: id,
            target: { type: 'org', id },
            summary: diff,
          });
        }
        // Rates, billing mode and usage terms change from a day on: the months before keep theirs.
        // A term given is recorded even when it equals the value that day: a change dated earlier,
        // recorded later, must not run past it.
        const from = patch.from ?? today();
        const terms = termsOf(row);
        // Someone who may not change money can still save a form that repeats today's terms.
        const changed = datedTerms(patch).filter(([term, value]) => {
          const current = valueOn(terms[term], from);
          const same = current.amount === value.amount && current.mode === value.mode;
          return !same || allows(actor, 'billing.manage');
        });
        if (changed.length > 0) {
          mayChangeTerms(actor, from);
          for (const [term, value] of changed)
            store.billingTerms.setOrgTerm({
              org_id: id,
              term,
              effective_from: from,
              ...value,
              created_at: now,
            });
          audit.record(actor, {
            action: 'org.terms_changed',
            orgId: id,
            target: { type: 'org', id },
            summary: {
              before: Object.fromEntries(
                changed.map(([term]) => [term, termText(term, valueOn(terms[term], from))]),
              ),
              after: {
                from,
                ...Object.fromEntries(changed.map(([term, value]) => [term, termText(term, value)])),
              },
            },
          });
        }
        return present({ ...row, ...after, updated_at: diff ? now : row.updated_at });
      });
    },

    billingTerms: (scope: OrgScope, id: string): OrgBillingTerms => billingTerms(visible(scope, id)),

    setModelMarkup(
      actor: Principal,
      scope: OrgScope,
      input: { id: string; model: string; pct: string | null; from?: string },
    ): OrgBillingTerms {
      return store.transaction(() => {
        const row = live(scope, input.id);
        const from = input.from ?? today();
        mayChangeTerms(actor, from);
        const markupBp = input.pct === null ? null : Number(markupBasisPoints(input.pct));
        store.billingTerms.setMarkup({
          org_id: row.id,
          model: input.model,
          effective_from: from,
          markup_bp: markupBp,
          created_at: clock.now().toISOString(),
        });
        audit.record(actor, {
          action: 'org.markup_set',
          orgId: row.id,
          target: { type: 'org', id: row.id },
          summary: {
            after: { model: input.model, from, markup: markupBp === null ? null : markupText(markupBp) },
          },
        });
        return billingTerms(row);
      });
    },

    setActive(actor: Actor, scope: OrgScope, id: string, active: boolean): Org {
      return store.transaction(() => {
        const row = live(scope, id);
        if (row.is_owner && !active) {
          throw new AppError('CONFLICT', 'The owner organization cannot be deactivated.');
        }
        if (Boolean(row.active) === active) return present(row);
        const now = clock.now().toISOString();
        store.orgs.setActive(id, active, now);
        if (active) store.orgActivity.endInactive(id, now);
        else store.orgActivity.startInactive(id, now);
        audit.record(actor, {
          action: active ? 'org.activated' : 'org.deactivated',
          orgId: id,
          target: { type: 'org', id },
          summary: { before: { active: !active }, after: { active } },
        });
        return present({ ...row, active: active ? 1 : 0, updated_at: now });
      });
    },

    delete(actor: Actor, scope: OrgScope, id: string, confirmName: string): Org {
      return store.transaction(() => {
        const row = live(scope, id);
        if (row.is_owner) throw new AppError('CONFLICT', 'The owner organization cannot be deleted.');
        if (confirmName.trim() !== row.name) {
          throw new AppError('VALIDATION', `Type the organization's name, ${row.name}, exactly to confirm.`, {
            issues: [{ path: ['confirmName'], message: 'The name does not match' }],
          });
        }
        const assigned = row.agent_count;
        if (assigned > 0) {
          throw new AppError(
            'CONFLICT',
            `${row.name} has ${assigned} agent${assigned === 1 ? '' : 's'} assigned: unassign or move ${assigned === 1 ? 'it' : 'them'} first.`,
            { assignedAgents: assigned },
          );
        }
        const now = clock.now().toISOString();
        store.orgs.setDeleted(id, now, now);
        // Whoever had nothing else to see is signed out; the others simply stop seeing this org.
        for (const userId of store.users.onlyIn(id)) store.sessions.removeForUser(userId);
        audit.record(actor, {
          action: 'org.deleted',
          orgId: id,
          target: { type: 'org', id },
          summary: { before: { deleted: false }, after: { deleted: true } },
        });
        return present({ ...row, deleted_at: now, updated_at: now });
      });
    },

    restore(actor: Actor, scope: OrgScope, id: string): Org {
      return store.transaction(() => {
        const row = visible(scope, id);
        if (!row.deleted_at) throw new AppError('CONFLICT', `${row.name} is not deleted.`);
        const now = clock.now().toISOString();
        store.orgs.setDeleted(id, null, now);
        audit.record(actor, {
          action: 'org.restored',
          orgId: id,
          target: { type: 'org', id },
          summary: { before: { deleted: true }, after: { deleted: false } },
        });
        return present({ ...row, deleted_at: null, updated_at: now });
      });
    },

    /** Purges orgs deleted more than RESTORE_DAYS ago, each with everything it owns; returns how many. */
    purgeExpired(): number {
      const ids = store.orgs.deletedBefore(new Date(clock.now().getTime() - RESTORE_MS).toISOString());
      for (const id of ids) purge(id);
      return ids.length;
    },
  };
}

export type OrgsService = ReturnType<typeof createOrgsService>;
