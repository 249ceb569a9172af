import type { ChannelParsedInput } from '../../../shared/contract';
import type { AuditEntry } from '../../../shared/contract/audit';
import { AppError } from '../../../shared/contract/envelope';
import type { Clock } from '../store/clock';
import type { OrgScope } from '../store/org-scope';
import type { AuditRow } from '../store/repos/audit-repo';
import type { Store } from '../store/store';
import type { Principal } from './principal';

export interface OrgSide {
  id: string;
  label: string;
}

export interface AuditEvent {
  action: string;
  orgId: string | null;
  target: { type: string; id: string };
  /** A before/after summary: changed fields only, never secrets. */
  summary: Record<string, unknown>;
}

/** The system itself, for work nobody asked for in a request (purges). */
export const SYSTEM_ACTOR: Pick<Principal, 'userId' | 'label'> = { userId: null, label: 'system' };

export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor_label,
    orgId: row.org_id,
    action: row.action,
    target: { type: row.target_type, id: row.target_id },
    summary: JSON.parse(row.summary) as Record<string, unknown>,
    hash: row.hash,
  };
}

/** Records who did what to which org. Call it inside the transaction of the change it records. */
export function createAuditLog(store: Store, clock: Clock) {
  return {
    list(scope: OrgScope, input: ChannelParsedInput<'audit.list'>) {
      if (input.org && !store.orgs.get(scope, input.org))
        throw new AppError('NOT_FOUND', 'No such organization.');
      const { rows, total } = store.audit.page(scope, {
        ...input,
        limit: input.pageSize,
        offset: (input.page - 1) * input.pageSize,
      });
      return { items: rows.map(toAuditEntry), total };
    },

    actions: (scope: OrgScope) => store.audit.actions(scope),

    verify() {
      const broken = store.audit.firstBroken();
      return { intact: broken === undefined, entries: store.audit.count(), firstBroken: broken ?? null };
    },

    /**
     * A change that takes something from one org to another. Each org's trail gets its own side
     * only, since a client may read its trail and must not learn the other tenant. `named` says
     * what the target is called (an agent's handle, a document's title), which both sides knew.
     */
    recordMove(
      actor: Pick<Principal, 'userId' | 'label'>,
      move: {
        action: string;
        target: AuditEvent['target'];
        named: Record<string, string>;
        from: OrgSide | null;
        to: OrgSide | null;
      },
    ): void {
      const elsewhere = 'another organization';
      if (move.from) {
        this.record(actor, {
          action: move.action,
          orgId: move.from.id,
          target: move.target,
          summary: {
            ...move.named,
            before: { org: move.from.label },
            after: { org: move.to ? elsewhere : null },
          },
        });
      }
      if (move.to) {
        this.record(actor, {
          action: move.action,
          orgId: move.to.id,
          target: move.target,
          summary: {
            ...move.named,
            before: { org: move.from ? elsewhere : null },
            after: { org: move.to.label },
          },
        });
      }
    },

    record(actor: Pick<Principal, 'userId' | 'label'>, event: AuditEvent): void {
      store.audit.insert({
        at: clock.now().toISOString(),
        actor_id: actor.userId,
        actor_label: actor.label,
        org_id: event.orgId,
        action: event.action,
        target_type: event.target.type,
        target_id: event.target.id,
        summary: JSON.stringify(event.summary),
      });
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;

/** The fields whose values differ, as { before, after } halves, for an audit summary. */
export function changes<T extends object>(
  before: T,
  after: T,
): { before: Partial<T>; after: Partial<T> } | null {
  const keys = (Object.keys(after) as (keyof T)[]).filter(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
  if (keys.length === 0) return null;
  const pick = (source: T) => Object.fromEntries(keys.map((key) => [key, source[key]])) as Partial<T>;
  return { before: pick(before), after: pick(after) };
}
