import { randomUUID } from 'node:crypto';
import type { ChannelParsedInput } from '../../../shared/contract';
import { AppError } from '../../../shared/contract/envelope';
import {
  POLICY_KINDS,
  type Policy,
  type PolicyConfig,
  type PolicyDefaults,
} from '../../../shared/contract/policies';
import type { Clock } from '../store/clock';
import { isUniqueViolation } from '../store/engine-errors';
import type { OrgScope } from '../store/org-scope';
import type { CurrentPolicy, PolicyVersionRow } from '../store/repos/policies-repo';
import type { Store } from '../store/store';
import type { AuditLog } from './audit-log';
import { liveOrg } from './live-org';
import type { Principal } from './principal';

export const DEFAULT_POLICY_DEFAULTS: PolicyDefaults = {
  defaultDecision: 'allow',
  approvalTimeoutMinutes: 60,
  requireDescription: false,
};

export function toPolicy(row: CurrentPolicy): Policy {
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    description: row.description,
    kind: row.kind as Policy['kind'],
    config: JSON.parse(row.config) as PolicyConfig,
    enabled: row.enabled === 1,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createPoliciesService(store: Store, clock: Clock, audit: AuditLog) {
  function visible(scope: OrgScope, id: string): CurrentPolicy {
    const row = store.policies.get(id);
    if (!row || !scope.allows(row.org_id)) throw new AppError('NOT_FOUND', 'No such policy.');
    // A deleted org's policies wait, unchanged, for it to be restored.
    liveOrg(store, scope, row.org_id);
    return row;
  }

  function defaults(orgId: string): PolicyDefaults {
    const row = store.policies.defaults(orgId);
    return row
      ? {
          defaultDecision: row.default_decision,
          approvalTimeoutMinutes: row.approval_timeout_minutes,
          requireDescription: row.require_description === 1,
        }
      : DEFAULT_POLICY_DEFAULTS;
  }

  function needDescription(orgId: string, description: string): void {
    if (defaults(orgId).requireDescription && description.trim() === '') {
      throw new AppError('VALIDATION', 'This organization requires a description on every policy.', {
        issues: [{ path: ['description'], message: 'A description is required' }],
      });
    }
  }

  function record(
    actor: Principal,
    action: string,
    row: { id: string; org_id: string },
    summary: Record<string, unknown>,
  ) {
    audit.record(actor, { action, orgId: row.org_id, target: { type: 'policy', id: row.id }, summary });
  }

  function create(
    actor: Principal,
    orgId: string,
    input: { name: string; description: string; config: PolicyConfig; enabled: boolean },
  ) {
    needDescription(orgId, input.description);
    const now = clock.now().toISOString();
    const id = randomUUID();
    store.policies.insert(
      { id, org_id: orgId, kind: input.config.kind, version: 1, created_at: now, updated_at: now },
      {
        policy_id: id,
        version: 1,
        name: input.name,
        description: input.description,
        config: JSON.stringify(input.config),
        enabled: input.enabled ? 1 : 0,
        change: 'created',
        at: now,
        actor_label: actor.label,
      },
    );
    record(
      actor,
      'policy.created',
      { id, org_id: orgId },
      { after: { name: input.name, kind: input.config.kind, enabled: input.enabled } },
    );
    return toPolicy(store.policies.get(id) as CurrentPolicy);
  }

  /** CONFLICT when the caller's change was made on an older version than `current` (another editor saved meanwhile). */
  function sameVersion(current: CurrentPolicy, expected: number | undefined): void {
    if (expected !== undefined && expected !== current.version) throw changedMeanwhile(current);
  }

  const changedMeanwhile = (current: Pick<CurrentPolicy, 'name' | 'version'>) =>
    new AppError(
      'CONFLICT',
      `${current.name} was changed while you edited it (it is at version ${current.version} now, or a newer one): reload it, then make your change again. Nothing was saved.`,
    );

  /** Appends the next version of `current` with `next` values; no version when nothing changed. */
  function revise(
    actor: Principal,
    current: CurrentPolicy,
    next: Omit<PolicyVersionRow, 'policy_id' | 'version' | 'at' | 'actor_label'>,
    action: string,
  ) {
    const same =
      next.name === current.name &&
      next.description === current.description &&
      next.config === current.config &&
      next.enabled === current.enabled;
    if (same) return toPolicy(current);
    const at = clock.now().toISOString();
    try {
      store.policies.append({
        ...next,
        policy_id: current.id,
        version: current.version + 1,
        at,
        actor_label: actor.label,
      });
    } catch (error) {
      // Another save took the same next version first (another server's, on PostgreSQL).
      if (isUniqueViolation(error)) throw changedMeanwhile(current);
      throw error;
    }
    record(actor, action, current, {
      before: { version: current.version, name: current.name, enabled: current.enabled === 1 },
      after: { version: current.version + 1, name: next.name, enabled: next.enabled === 1 },
    });
    return toPolicy(store.policies.get(current.id) as CurrentPolicy);
  }

  return {
    /** Which kinds of policy each client org has: what the all-orgs guardrails matrix shows. */
    coverage(scope: OrgScope) {
      return store.orgs
        .list(scope, { status: 'current' })
        .filter((org) => org.is_owner === 0)
        .map((org) => {
          const policies = store.policies.ofOrg(org.id);
          return {
            id: org.id,
            slug: org.slug,
            name: org.name,
            kinds: POLICY_KINDS.map((kind) => {
              const ofKind = policies.filter((policy) => policy.kind === kind);
              const enabled = ofKind.filter((policy) => policy.enabled === 1).length;
              return { kind, enabled, disabled: ofKind.length - enabled };
            }),
          };
        });
    },

    list(scope: OrgScope, orgId: string): Policy[] {
      liveOrg(store, scope, orgId);
      return store.policies.ofOrg(orgId).map(toPolicy);
    },

    get(scope: OrgScope, id: string) {
      const row = visible(scope, id);
      return {
        ...toPolicy(row),
        versions: store.policies.versions(id).map((v) => ({
          version: v.version,
          name: v.name,
          description: v.description,
          config: JSON.parse(v.config) as PolicyConfig,
          enabled: v.enabled === 1,
          at: v.at,
          actor: v.actor_label,
          change: v.change,
        })),
      };
    },

    create(actor: Principal, scope: OrgScope, input: ChannelParsedInput<'policies.create'>): Policy {
      liveOrg(store, scope, input.orgId);
      return store.transaction(() =>
        create(actor, input.orgId, {
          name: input.name,
          description: input.description ?? '',
          config: input.config,
          enabled: input.enabled,
        }),
      );
    },

    update(actor: Principal, scope: OrgScope, input: ChannelParsedInput<'policies.update'>): Policy {
      return store.transaction(() => {
        const current = visible(scope, input.id);
        sameVersion(current, input.expectedVersion);
        if (input.config && input.config.kind !== current.kind) {
          throw new AppError(
            'VALIDATION',
            `A ${current.kind} policy stays one: create a new policy for another kind.`,
            {
              issues: [{ path: ['config', 'kind'], message: 'The kind cannot change' }],
            },
          );
        }
        const description = input.description ?? current.description;
        const enabled = input.enabled === undefined ? current.enabled : input.enabled ? 1 : 0;
        const onlyToggled =
          input.name === undefined && input.description === undefined && input.config === undefined;
        // Switching a policy on or off writes nothing of it: an org that came to require
        // descriptions can still switch off an older policy at once.
        if (!onlyToggled) needDescription(current.org_id, description);
        const change =
          onlyToggled && enabled !== current.enabled ? (enabled ? 'enabled' : 'disabled') : 'edited';
        return revise(
          actor,
          current,
          {
            name: input.name ?? current.name,
            description,
            config: input.config ? JSON.stringify(input.config) : current.config,
            enabled,
            change,
          },
          change === 'edited' ? 'policy.updated' : `policy.${change}`,
        );
      });
    },

    restore(
      actor: Principal,
      scope: OrgScope,
      id: string,
      version: number,
      expectedVersion?: number,
    ): Policy {
      return store.transaction(() => {
        const current = visible(scope, id);
        sameVersion(current, expectedVersion);
        const old = store.policies.versions(id).find((v) => v.version === version);
        if (!old) throw new AppError('NOT_FOUND', `This policy has no version ${version}.`);
        if (version === current.version) return toPolicy(current);
        // A restore writes a new current version: it meets the org's rules as an edit does.
        needDescription(current.org_id, old.description);
        return revise(
          actor,
          current,
          {
            name: old.name,
            description: old.description,
            config: old.config,
            enabled: old.enabled,
            change: `restored from v${version}`,
          },
          'policy.restored',
        );
      });
    },

    delete(actor: Principal, scope: OrgScope, id: string): void {
      store.transaction(() => {
        const current = visible(scope, id);
        store.policies.remove(id);
        record(actor, 'policy.deleted', current, { before: { name: current.name, kind: current.kind } });
      });
    },

    copy(actor: Principal, scope: OrgScope, id: string, orgIds: string[]): Policy[] {
      return store.transaction(() => {
        const source = visible(scope, id);
        return [...new Set(orgIds)].map((orgId) => {
          liveOrg(store, scope, orgId);
          const copied = create(actor, orgId, {
            name: source.name,
            description: source.description,
            config: JSON.parse(source.config) as PolicyConfig,
            enabled: source.enabled === 1,
          });
          record(
            actor,
            'policy.copied',
            { id: copied.id, org_id: orgId },
            { after: { copiedFrom: 'another organization', name: source.name } },
          );
          return copied;
        });
      });
    },

    defaults(scope: OrgScope, orgId: string): PolicyDefaults {
      liveOrg(store, scope, orgId);
      return defaults(orgId);
    },

    setDefaults(
      actor: Principal,
      scope: OrgScope,
      input: ChannelParsedInput<'policies.setDefaults'>,
    ): PolicyDefaults {
      return store.transaction(() => {
        liveOrg(store, scope, input.orgId);
        const before = defaults(input.orgId);
        const { orgId, ...patch } = input;
        const after = { ...before, ...patch };
        store.policies.saveDefaults(orgId, {
          default_decision: after.defaultDecision,
          approval_timeout_minutes: after.approvalTimeoutMinutes,
          require_description: after.requireDescription ? 1 : 0,
        });
        audit.record(actor, {
          action: 'policy.defaults_changed',
          orgId,
          target: { type: 'org', id: orgId },
          summary: { before, after },
        });
        return after;
      });
    },
  };
}

export type PoliciesService = ReturnType<typeof createPoliciesService>;
