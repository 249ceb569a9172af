import { randomUUID } from 'node:crypto';
import type { ChannelParsedInput } from '../../../shared/contract';
import { AppError } from '../../../shared/contract/envelope';
import type { User } from '../../../shared/contract/users';
import type { Page, Role } from '../../../shared/domain/permissions';
import type { Clock } from '../store/clock';
import type { OrgScope } from '../store/org-scope';
import { type UserRow, type UserWithOrg, userPages } from '../store/repos/users-repo';
import type { Store } from '../store/store';
import { type AuditLog, changes } from './audit-log';
import { endEverySignIn } from './end-sign-ins';
import { hashPassword } from './passwords';
import type { Principal } from './principal';

export function toUser(row: UserWithOrg): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    boundOrgId: row.bound_org_id,
    boundOrgName: row.bound_org_name,
    pages: userPages(row),
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

type Actor = Principal;

export function createUsersService(store: Store, clock: Clock, audit: AuditLog) {
  function target(id: string): UserWithOrg {
    const row = store.users.byId(id);
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
    if (row.role === 'owner' && !row.disabled && store.users.activeOwners() <= 1) {
      throw new AppError(
        'CONFLICT',
        `This is the last active owner, who cannot be ${losing}: transfer ownership first.`,
      );
    }
  }

  function bindable(orgScope: OrgScope, orgId: string | null | undefined): string | null {
    if (!orgId) return null;
    const org = store.orgs.get(orgScope, orgId);
    if (!org || org.deleted_at) {
      throw new AppError('VALIDATION', 'No such organization to bind to.', {
        issues: [{ path: ['boundOrgId'], message: 'No such organization' }],
      });
    }
    return orgId;
  }

  const view = (row: UserRow): Record<string, unknown> => ({
    name: row.name,
    role: row.role,
    boundOrgId: row.bound_org_id,
    pages: userPages(row),
    disabled: row.disabled === 1,
  });

  function save(actor: Actor, before: UserWithOrg, after: UserRow, action: string): User {
    store.users.update(after);
    const { boundOrgId: _before, ...restBefore } = view(before);
    const { boundOrgId: _after, ...restAfter } = view(after);
    const diff = changes(restBefore, restAfter);
    if (diff) {
      audit.record(actor, {
        action: action === 'user.bound' ? 'user.updated' : action,
        orgId: after.bound_org_id ?? before.bound_org_id,
        target: { type: 'user', id: after.id },
        summary: diff,
      });
    }
    if (after.bound_org_id !== before.bound_org_id) {
      // Rebinding takes a user from one client to another: each org's trail sees its own side.
      audit.recordMove(actor, {
        action: 'user.bound',
        target: { type: 'user', id: after.id },
        from: before.bound_org_id
          ? { id: before.bound_org_id, label: before.bound_org_name ?? before.bound_org_id }
          : null,
        to: after.bound_org_id
          ? {
              id: after.bound_org_id,
              label: store.users.byId(after.id)?.bound_org_name ?? after.bound_org_id,
            }
          : null,
      });
    }
    return toUser(target(after.id));
  }

  return {
    list: (search?: string): User[] => store.users.list(search).map(toUser),

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
          bound_org_id: bindable(scope, input.boundOrgId),
          pages: JSON.stringify([...new Set(input.pages ?? [])]),
          disabled: 0,
          created_at: now,
          updated_at: now,
        };
        store.users.insert(row);
        audit.record(actor, {
          action: 'user.created',
          orgId: row.bound_org_id,
          target: { type: 'user', id: row.id },
          summary: { after: { email: row.email, ...view(row) } },
        });
        return toUser(target(row.id));
      });
    },

    update(actor: Actor, scope: OrgScope, input: ChannelParsedInput<'users.update'>): User {
      return store.transaction(() => {
        const before = target(input.id);
        mayManage(actor, before, input.role);
        if (input.role && input.role !== 'owner') keepAnOwner(before, 'demoted');
        const after: UserRow = {
          ...before,
          name: input.name ?? before.name,
          role: input.role ?? before.role,
          bound_org_id:
            input.boundOrgId === undefined ? before.bound_org_id : bindable(scope, input.boundOrgId),
          pages: input.pages ? JSON.stringify([...new Set<Page>(input.pages)]) : before.pages,
          updated_at: clock.now().toISOString(),
        };
        const action =
          after.role !== before.role
            ? 'user.role_changed'
            : after.bound_org_id !== before.bound_org_id
              ? 'user.bound'
              : 'user.updated';
        return save(actor, before, after, action);
      });
    },

    setDisabled(actor: Actor, id: string, disabled: boolean): User {
      return store.transaction(() => {
        const before = target(id);
        mayManage(actor, before);
        if (disabled) keepAnOwner(before, 'disabled');
        if (Boolean(before.disabled) === disabled) return toUser(before);
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
        const before = target(id);
        const now = clock.now().toISOString();
        store.users.update({ ...before, password_hash: passwordHash, updated_at: now });
        const ended = endEverySignIn(store, id, now);
        audit.record(actor, {
          action: 'user.password_reset',
          orgId: before.bound_org_id,
          target: { type: 'user', id },
          summary: { after: { passwordChanged: true, ...ended } },
        });
        return toUser(target(id));
      });
    },

    delete(actor: Actor, id: string): void {
      store.transaction(() => {
        const before = target(id);
        mayManage(actor, before);
        if (actor.userId === id) throw new AppError('CONFLICT', 'You cannot delete your own account.');
        keepAnOwner(before, 'deleted');
        store.users.remove(id);
        audit.record(actor, {
          action: 'user.deleted',
          orgId: before.bound_org_id,
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
        const from = target(fromId);
        const to = target(toUserId);
        if (from.role !== 'owner') throw new AppError('FORBIDDEN', 'Only an owner can transfer ownership.');
        if (to.id === from.id) throw new AppError('CONFLICT', 'You are already the owner.');
        if (to.disabled) throw new AppError('CONFLICT', `${to.name} is disabled: enable them first.`);
        const now = clock.now().toISOString();
        store.users.update({ ...to, role: 'owner', updated_at: now });
        store.users.update({ ...from, role: 'admin', updated_at: now });
        audit.record(actor, {
          action: 'ownership.transferred',
          orgId: null,
          target: { type: 'user', id: to.id },
          summary: {
            before: { owner: from.email, [to.email]: to.role },
            after: { owner: to.email, [from.email]: 'admin' },
          },
        });
        return { from: toUser(target(from.id)), to: toUser(target(to.id)) };
      });
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
