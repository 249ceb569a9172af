import { randomUUID } from 'node:crypto';
import type { ChannelParsedInput } from '../../../shared/contract';
import { AppError } from '../../../shared/contract/envelope';
import type { Org } from '../../../shared/contract/orgs';
import { DAY_MS } from '../../../shared/domain/days';
import { DEFAULT_ALERT_THRESHOLDS } from '../../../shared/domain/forecast';
import { formatMicros, parseMicros } from '../../../shared/domain/money';
import { allows } from '../../../shared/domain/permissions';
import { slugify } from '../../../shared/domain/slug';
import type { Clock } from '../store/clock';
import type { OrgScope } from '../store/org-scope';
import type { EditableOrgFields, OrgRow, OrgStatusFilter, OrgWithCounts } from '../store/repos/orgs-repo';
import type { Store } from '../store/store';
import { type AuditLog, changes, SYSTEM_ACTOR } from './audit-log';
import type { Principal } from './principal';

/** How long a deleted org can be restored before it is purged with everything it owns. */
export const RESTORE_DAYS = 30;
const RESTORE_MS = RESTORE_DAYS * DAY_MS;

export function toOrg(row: OrgWithCounts): Org {
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

function applyPatch(fields: EditableOrgFields, patch: OrgPatch): EditableOrgFields {
  return {
    name: patch.name ?? fields.name,
    timezone: patch.timezone ?? fields.timezone,
    rate_micros: patch.rate === undefined ? fields.rate_micros : parseMicros(patch.rate),
    billing_mode: patch.billingMode ?? fields.billing_mode,
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
    store.transaction(() => {
      // A user whose only org this was belongs to it and goes with it; other memberships cascade away.
      for (const userId of store.users.onlyIn(id)) store.users.remove(userId);
      store.usage.dropOrg(id);
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
      return store.orgs.list(scope, filter).map(toOrg);
    },

    get: (scope: OrgScope, id: string): Org => toOrg(visible(scope, id)),

    getBySlug(scope: OrgScope, slug: string): Org {
      const row = store.orgs.getBySlug(scope, slug);
      return toOrg(visible(scope, row?.id ?? ''));
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
          rate_micros: 0,
          billing_mode: 'prorated',
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
        if (!diff) return toOrg(row);
        mayChange(actor, before, after);
        const now = clock.now().toISOString();
        store.orgs.update(id, after, now);
        audit.record(actor, { action: 'org.updated', orgId: id, target: { type: 'org', id }, summary: diff });
        return toOrg({ ...row, ...after, updated_at: now });
      });
    },

    setActive(actor: Actor, scope: OrgScope, id: string, active: boolean): Org {
      return store.transaction(() => {
        const row = live(scope, id);
        if (row.is_owner && !active) {
          throw new AppError('CONFLICT', 'The owner organization cannot be deactivated.');
        }
        if (Boolean(row.active) === active) return toOrg(row);
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
        return toOrg({ ...row, active: active ? 1 : 0, updated_at: now });
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
        return toOrg({ ...row, deleted_at: now, updated_at: now });
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
        return toOrg({ ...row, deleted_at: null, updated_at: now });
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
