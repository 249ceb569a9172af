import type { ChannelParsedInput } from '../../../shared/contract';
import { AppError } from '../../../shared/contract/envelope';
import type { Member } from '../../../shared/contract/members';
import { allows, MANAGER_ASSIGNABLE, type MembershipRole } from '../../../shared/domain/permissions';
import type { Clock } from '../store/clock';
import type { OrgScope } from '../store/org-scope';
import type { MembershipView } from '../store/repos/memberships-repo';
import type { UserRow } from '../store/repos/users-repo';
import type { Store } from '../store/store';
import type { AuditLog } from './audit-log';
import { liveOrg } from './live-org';
import type { Principal } from './principal';

export const toMember = (row: MembershipView): Member => ({
  userId: row.user_id,
  email: row.user_email,
  name: row.user_name,
  orgId: row.org_id,
  orgSlug: row.org_slug,
  orgName: row.org_name,
  role: row.role,
  since: row.created_at,
});

const noUserWith = (email: string) => new AppError('NOT_FOUND', `There is no user with the email ${email}.`);

/** Memberships: who holds which role in which org. Every change applies to the holder's very next call. */
export function createMembersService(store: Store, clock: Clock, audit: AuditLog) {
  /**
   * The user a membership in `org` is for. Only owners and admins learn that an email is the MSP's
   * staff (and which role), or someone of another client's org (a deleted one's too, until it is
   * purged): to a manager of one client org neither is a user they can give a role to (someone of
   * another org joins by accepting an invite).
   */
  function holder(actor: Principal, email: string, org: { scope: OrgScope; id: string } | null): UserRow {
    const user = store.users.byEmail(email.toLowerCase());
    const noSuchUser = noUserWith(email);
    if (!user) throw noSuchUser;
    const managesUsers = allows(actor, 'users.manage');
    if (user.role !== 'user') {
      if (!managesUsers) throw noSuchUser;
      throw new AppError(
        'CONFLICT',
        `${user.email} is ${user.role === 'admin' ? 'an' : 'a'} ${user.role}, who holds every org already.`,
      );
    }
    if (
      !managesUsers &&
      org !== null &&
      store.memberships.get(user.id, org.id) === undefined &&
      // Read as that user: the call's own scope (row-level security on PostgreSQL) hides the rest.
      store
        .asUser(user.id, () => store.memberships.ofUser(user.id))
        .some((other) => !org.scope.allows(other.org_id))
    )
      throw noSuchUser;
    return user;
  }

  /**
   * A manager gives and takes roles up to `member`, never touching another manager, nor the MSP's
   * staff who serve every client org (a membership set here would replace their role in this org).
   */
  function mayGrant(actor: Principal, user: UserRow, orgId: string, role: MembershipRole | null): void {
    if (allows(actor, 'users.manage')) return;
    if (user.all_client_orgs_role !== null) {
      throw new AppError(
        'FORBIDDEN',
        `${user.email} serves every client org: only owners and admins change their role.`,
      );
    }
    const current = store.memberships.get(user.id, orgId)?.role;
    if ((role !== null && !MANAGER_ASSIGNABLE.includes(role)) || current === 'manager') {
      throw new AppError('FORBIDDEN', 'A manager gives and takes roles up to member only.');
    }
  }

  /** Sets (or with null, removes) one membership and records it; the caller holds the transaction. */
  function apply(actor: Principal, user: UserRow, orgId: string, role: MembershipRole | null): boolean {
    const before = store.memberships.get(user.id, orgId);
    if (role === null) {
      if (!before) return false;
      store.memberships.remove(user.id, orgId);
      audit.record(actor, {
        action: 'member.removed',
        orgId,
        target: { type: 'user', id: user.id },
        summary: { before: { email: user.email, role: before.role } },
      });
      return true;
    }
    if (before?.role === role) return false;
    store.memberships.put({ user_id: user.id, org_id: orgId, role, created_at: clock.now().toISOString() });
    audit.record(actor, {
      action: before ? 'member.role_changed' : 'member.joined',
      orgId,
      target: { type: 'user', id: user.id },
      summary: before
        ? { before: { role: before.role }, after: { role } }
        : { after: { email: user.email, role } },
    });
    return true;
  }

  function mayServeEveryClientOrg(actor: Principal): void {
    if (!allows(actor, 'users.manage'))
      throw new AppError('FORBIDDEN', 'Only owners and admins give a role in every client org.');
  }

  function setEveryClientOrg(actor: Principal, named: UserRow, role: MembershipRole | null): boolean {
    mayServeEveryClientOrg(actor);
    // Read again as the change writes it: another server's change of the user meanwhile stays.
    const user = store.users.byIdForChange(named.id);
    if (!user) throw new AppError('NOT_FOUND', 'No such user.');
    if (user.all_client_orgs_role === role) return false;
    store.users.update({ ...user, all_client_orgs_role: role, updated_at: clock.now().toISOString() });
    audit.record(actor, {
      action:
        role === null
          ? 'member.removed'
          : user.all_client_orgs_role
            ? 'member.role_changed'
            : 'member.joined',
      orgId: null,
      target: { type: 'user', id: user.id },
      summary: {
        before: { email: user.email, everyClientOrg: user.all_client_orgs_role },
        after: { everyClientOrg: role },
      },
    });
    return true;
  }

  return {
    apply,
    setEveryClientOrg,

    list(scope: OrgScope, orgId: string | undefined): Member[] {
      if (orgId) return store.memberships.ofOrg(liveOrg(store, scope, orgId).id).map(toMember);
      return store.memberships
        .all()
        .filter((row) => !row.org_deleted && scope.allows(row.org_id))
        .map(toMember);
    },

    put(actor: Principal, scope: OrgScope, input: ChannelParsedInput<'members.put'>) {
      return store.transaction(() => {
        // Who may act, and where, before whom: a refusal tells nothing of the person named.
        if ('allClientOrgs' in input) {
          mayServeEveryClientOrg(actor);
          const user = holder(actor, input.email, null);
          return { email: user.email, role: input.role, changed: setEveryClientOrg(actor, user, input.role) };
        }
        const org = liveOrg(store, scope, input.orgId);
        const user = holder(actor, input.email, { scope, id: org.id });
        mayGrant(actor, user, org.id, input.role);
        return { email: user.email, role: input.role, changed: apply(actor, user, org.id, input.role) };
      });
    },

    remove(actor: Principal, scope: OrgScope, input: ChannelParsedInput<'members.remove'>): void {
      store.transaction(() => {
        if ('allClientOrgs' in input) {
          mayServeEveryClientOrg(actor);
          const user = holder(actor, input.email, null);
          if (!setEveryClientOrg(actor, user, null))
            throw new AppError('NOT_FOUND', `${user.email} does not serve every client org.`);
          return;
        }
        const org = liveOrg(store, scope, input.orgId);
        const user = holder(actor, input.email, { scope, id: org.id });
        mayGrant(actor, user, org.id, null);
        if (!apply(actor, user, org.id, null))
          // A manager is told what they are of anyone not here: no user (holder).
          throw allows(actor, 'users.manage')
            ? new AppError('NOT_FOUND', `${user.email} is not a member of ${org.name}.`)
            : noUserWith(input.email);
      });
    },

    leave(actor: Principal, orgId: string): void {
      store.transaction(() => {
        const user = actor.userId ? store.users.byId(actor.userId) : undefined;
        if (!user || !store.memberships.get(user.id, orgId))
          throw new AppError('NOT_FOUND', 'You are not a member of this organization.');
        apply(actor, user, orgId, null);
      });
    },
  };
}

export type MembersService = ReturnType<typeof createMembersService>;
