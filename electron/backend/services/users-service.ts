import { randomUUID } from 'node:crypto';
import type { ChannelParsedInput } from '../../../shared/contract';
import { AppError } from '../../../shared/contract/envelope';
import type { User } from '../../../shared/contract/users';
import { type Membership, type Page, ROLE_GRANTS, type Role } from '../../../shared/domain/permissions';
import type { Clock } from '../store/clock';
import type { OrgScope } from '../store/org-scope';
import { NO_SECOND_FACTOR, type UserRow, userPages } from '../store/repos/users-repo';
import type { Store } from '../store/store';
import { type AuditLog, changes } from './audit-log';
import { endEverySignIn } from './end-sign-ins';
import type { MembersService } from './members-service';
import { hashPassword } from './passwords';
import type { Principal } from './principal';

export function toUser(store: Store, row: UserRow): User {
  const held = row.role === 'user' ? store.memberships.ofUser(row.id).filter((m) => !m.org_deleted) : [];
  const locked = held.length === 1 && row.all_client_orgs_role === null ? held[0] : undefined;
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    boundOrgId: locked?.org_id ?? null,
    boundOrgName: locked?.org_name ?? null,
    memberships: held.map((m) => ({
      orgId: m.org_id,
      orgSlug: m.org_slug,
      orgName: m.org_name,
      role: m.role,
    })),
    allClientOrgsRole: row.all_client_orgs_role,
    pages: userPages(row),
    twoFactor: row.totp_seed !== null,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

type Actor = Principal;

export function createUsersService(store: Store, clock: Clock, audit: AuditLog, members: MembersService) {
  function target(id: string): UserRow {
    const row = store.users.byId(id);
    if (!row) throw new AppError('NOT_FOUND', 'No such user.');
    return row;
  }

  /**
   * The user a change is about, read as the change will write them. On PostgreSQL the active
   * owners' rows are locked first, then the user's, always in that order: another server's change
   * of the same user (or of the owners) waits for this one's commit and reads what it wrote,
   * instead of writing its own copy over it, and no two such changes wait for each other.
   */
  function targetForChange(id: string): UserRow {
    store.users.activeOwnersForChange();
    const row = store.users.byIdForChange(id);
    if (!row) throw new AppError('NOT_FOUND', 'No such user.');
    return row;
  }

  /** Only owners touch owners: an admin can neither change an owner nor make one. */
  function mayManage(actor: Actor, row: { role: Role }, nextRole?: Role): void {
    if (actor.role !== 'owner' && (row.role === 'owner' || nextRole === 'owner')) {
      throw new AppError('FORBIDDEN', 'Only an owner can manage owners.');
    }
  }

  function keepAnOwner(row: UserRow, losing: string): void {
    if (row.role === 'owner' && !row.disabled && store.users.activeOwnersForChange() <= 1) {
      throw new AppError(
        'CONFLICT',
        `This is the last active owner, who cannot be ${losing}: transfer ownership first.`,
      );
    }
  }

  type MembershipInput = Pick<ChannelParsedInput<'users.update'>, 'boundOrgId' | 'memberships'>;

  /** The memberships an input asks for (undefined: leave them), each org checked to be live and visible. */
  function wanted(orgScope: OrgScope, input: MembershipInput): Membership[] | undefined {
    const asked =
      input.memberships ??
      (input.boundOrgId === undefined
        ? undefined
        : input.boundOrgId === null
          ? []
          : [{ orgId: input.boundOrgId, role: 'member' as const }]);
    asked?.forEach((membership, index) => {
      const org = store.orgs.get(orgScope, membership.orgId);
      if (!org || org.deleted_at) {
        const path = input.memberships ? ['memberships', index, 'orgId'] : ['boundOrgId'];
        throw new AppError('VALIDATION', 'No such organization to give a role in.', {
          issues: [{ path, message: 'No such organization' }],
        });
      }
    });
    return asked;
  }

  /** Makes the user's memberships exactly `next`; a user who is not a `user` holds none. */
  function setMemberships(actor: Actor, user: UserRow, next: Membership[]): void {
    const kept = new Set(next.map((m) => m.orgId));
    for (const held of store.memberships.ofUser(user.id)) {
      if (!kept.has(held.org_id)) members.apply(actor, user, held.org_id, null);
    }
    for (const membership of next) members.apply(actor, user, membership.orgId, membership.role);
  }

  const view = (row: UserRow): Record<string, unknown> => ({
    name: row.name,
    role: row.role,
    pages: userPages(row),
    disabled: row.disabled === 1,
  });

  /** Saves the user, auditing what changed; `tokensRevoked` (endTokensOnGain) is said in it. */
  function save(actor: Actor, before: UserRow, after: UserRow, action: string, tokensRevoked = 0): User {
    store.users.update(after);
    const diff = changes(view(before), view(after));
    if (diff) {
      const summary = tokensRevoked > 0 ? { ...diff, after: { ...diff.after, tokensRevoked } } : diff;
      audit.record(actor, { action, orgId: null, target: { type: 'user', id: after.id }, summary });
    }
    return toUser(store, target(after.id));
  }

  /**
   * A role that gains permissions ends the user's API tokens: an admin may mint one for another
   * user, and it must not act as an owner (or anything else it was not made for) once they are one.
   * Answers how many it revoked.
   */
  function endTokensOnGain(before: UserRow, role: UserRow['role']): number {
    const gains = [...ROLE_GRANTS[role]].some((permission) => !ROLE_GRANTS[before.role].has(permission));
    return gains ? store.apiTokens.revokeForUser(before.id, clock.now().toISOString()) : 0;
  }
  return {
    list: (search?: string): User[] => store.users.list(search).map((row) => toUser(store, row)),

    async create(actor: Actor, scope: OrgScope, input: ChannelParsedInput<'users.create'>): Promise<User> {
      mayManage(actor, { role: input.role }, input.role);
      const passwordHash = await hashPassword(input.password);
      return store.transaction(() => {
        if (store.users.byEmail(input.email)) {
          throw new AppError('CONFLICT', `A user with the email ${input.email} already exists.`, {
            issues: [{ path: ['email'], message: 'This email is taken' }],
          });
        }
        const now = clock.now().toISOString();
        const row: UserRow = {
          id: randomUUID(),
          email: input.email.toLowerCase(),
          name: input.name,
          role: input.role,
          password_hash: passwordHash,
          pages: JSON.stringify([...new Set(input.pages ?? [])]),
          all_client_orgs_role: input.role === 'user' ? (input.allClientOrgsRole ?? null) : null,
          ...NO_SECOND_FACTOR,
          disabled: 0,
          created_at: now,
          updated_at: now,
        };
        const memberships = wanted(scope, input) ?? [];
        store.users.insert(row);
        audit.record(actor, {
          action: 'user.created',
          orgId: null,
          target: { type: 'user', id: row.id },
          summary: { after: { email: row.email, ...view(row), everyClientOrg: row.all_client_orgs_role } },
        });
        if (row.role === 'user') setMemberships(actor, row, memberships);
        return toUser(store, target(row.id));
      });
    },

    update(actor: Actor, scope: OrgScope, input: ChannelParsedInput<'users.update'>): User {
      return store.transaction(() => {
        const before = targetForChange(input.id);
        mayManage(actor, before, input.role);
        if (input.role && input.role !== 'owner') keepAnOwner(before, 'demoted');
        const after: UserRow = {
          ...before,
          name: input.name ?? before.name,
          role: input.role ?? before.role,
          pages: input.pages ? JSON.stringify([...new Set<Page>(input.pages)]) : before.pages,
          updated_at: clock.now().toISOString(),
        };
        const tokensRevoked = endTokensOnGain(before, after.role);
        const memberships = after.role === 'user' ? wanted(scope, input) : [];
        const user = save(
          actor,
          before,
          after,
          after.role !== before.role ? 'user.role_changed' : 'user.updated',
          tokensRevoked,
        );
        if (memberships) setMemberships(actor, after, memberships);
        const everyClientRole = after.role === 'user' ? input.allClientOrgsRole : null;
        if (everyClientRole !== undefined)
          members.setEveryClientOrg(actor, target(after.id), everyClientRole);
        return memberships || everyClientRole !== undefined ? toUser(store, target(after.id)) : user;
      });
    },

    setDisabled(actor: Actor, id: string, disabled: boolean): User {
      return store.transaction(() => {
        const before = targetForChange(id);
        mayManage(actor, before);
        if (disabled) keepAnOwner(before, 'disabled');
        if (Boolean(before.disabled) === disabled) return toUser(store, before);
        if (disabled) store.sessions.removeForUser(id);
        const after = {
          ...before,
          disabled: disabled ? 1 : 0,
          updated_at: clock.now().toISOString(),
        } as UserRow;
        return save(actor, before, after, disabled ? 'user.disabled' : 'user.enabled');
      });
    },

    async resetPassword(actor: Actor, id: string, password: string): Promise<User> {
      mayManage(actor, target(id));
      const passwordHash = await hashPassword(password);
      return store.transaction(() => {
        const before = targetForChange(id);
        // Again: the user may have become an owner while the password hashed.
        mayManage(actor, before);
        const now = clock.now().toISOString();
        store.users.update({ ...before, password_hash: passwordHash, updated_at: now });
        const ended = endEverySignIn(store, id, now);
        audit.record(actor, {
          action: 'user.password_reset',
          orgId: null,
          target: { type: 'user', id },
          summary: { after: { passwordChanged: true, ...ended } },
        });
        return toUser(store, target(id));
      });
    },

    delete(actor: Actor, id: string): void {
      store.transaction(() => {
        const before = targetForChange(id);
        mayManage(actor, before);
        if (actor.userId === id) throw new AppError('CONFLICT', 'You cannot delete your own account.');
        keepAnOwner(before, 'deleted');
        store.users.remove(id);
        audit.record(actor, {
          action: 'user.deleted',
          orgId: null,
          target: { type: 'user', id },
          summary: { before: { email: before.email, ...view(before) } },
        });
      });
    },

    transferOwnership(actor: Actor, toUserId: string): { from: User; to: User } {
      if (!actor.userId) {
        throw new AppError('FORBIDDEN', 'Sign in as the owner who hands over ownership.');
      }
      const fromId = actor.userId;
      return store.transaction(() => {
        const from = targetForChange(fromId);
        const to = targetForChange(toUserId);
        if (from.role !== 'owner') throw new AppError('FORBIDDEN', 'Only an owner can transfer ownership.');
        if (to.id === from.id) throw new AppError('CONFLICT', 'You are already the owner.');
        if (to.disabled) throw new AppError('CONFLICT', `${to.name} is disabled: enable them first.`);
        const now = clock.now().toISOString();
        const tokensRevoked = endTokensOnGain(to, 'owner');
        store.users.update({ ...to, role: 'owner', updated_at: now });
        store.users.update({ ...from, role: 'admin', updated_at: now });
        audit.record(actor, {
          action: 'ownership.transferred',
          orgId: null,
          target: { type: 'user', id: to.id },
          summary: {
            before: { owner: from.email, [to.email]: to.role },
            after: {
              owner: to.email,
              [from.email]: 'admin',
              ...(tokensRevoked > 0 ? { tokensRevoked } : {}),
            },
          },
        });
        return { from: toUser(store, target(from.id)), to: toUser(store, target(to.id)) };
      });
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
