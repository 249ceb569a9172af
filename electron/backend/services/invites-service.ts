import { randomBytes, randomUUID } from 'node:crypto';
import type { ChannelParsedInput } from '../../../shared/contract';
import { AppError } from '../../../shared/contract/envelope';
import type { Invite } from '../../../shared/contract/invites';
import { DAY_MS } from '../../../shared/domain/days';
import { allows, MANAGER_ASSIGNABLE } from '../../../shared/domain/permissions';
import type { Clock } from '../store/clock';
import type { OrgScope } from '../store/org-scope';
import type { InviteRow } from '../store/repos/invites-repo';
import { NO_SECOND_FACTOR, type UserRow } from '../store/repos/users-repo';
import type { Store } from '../store/store';
import type { AuditLog } from './audit-log';
import type { AuthService, SignedIn } from './auth-service';
import { liveOrg } from './live-org';
import type { MembersService } from './members-service';
import { hashPassword } from './passwords';
import type { Principal } from './principal';
import { hashToken } from './token-secrets';

/** Tells an invite code apart from other secrets in a message or a file. */
const INVITE_MARK = 'odi_';

/** One answer for unknown, used, expired and revoked codes: which it was is nobody's business. */
const NOT_VALID = () =>
  new AppError(
    'NOT_FOUND',
    'This invite code is not valid: it may have expired, been used or been revoked. Ask for a new one.',
  );

export function createInvitesService(
  store: Store,
  clock: Clock,
  audit: AuditLog,
  members: MembersService,
  auth: AuthService,
) {
  function toInvite(row: InviteRow, now: string): Invite {
    return {
      id: row.id,
      email: row.email,
      memberships: store.invites
        .memberships(row.id)
        .map((m) => ({ orgId: m.org_id, orgSlug: m.org_slug, orgName: m.org_name, role: m.role })),
      invitedBy: row.invited_by,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      status: row.used_at
        ? 'used'
        : row.revoked_at
          ? 'revoked'
          : row.expires_at <= now
            ? 'expired'
            : 'pending',
    };
  }

  /** An invite the actor may see: every org it invites into is one whose members they manage. */
  function manageable(scope: OrgScope, row: InviteRow | undefined): InviteRow {
    const orgs = row ? store.invites.memberships(row.id) : [];
    if (!row || orgs.length === 0 || !orgs.every((m) => scope.allows(m.org_id)))
      throw new AppError('NOT_FOUND', 'No such invite.');
    return row;
  }

  /** The pending invite a code names, spent for the user, its memberships given; in the caller's transaction. */
  function redeem(code: string, user: UserRow): void {
    const now = clock.now().toISOString();
    const row = store.invites.byCodeHash(hashToken(code));
    if (
      !row ||
      row.email.toLowerCase() !== user.email.toLowerCase() ||
      !store.invites.spend(row.id, user.id, now)
    )
      throw NOT_VALID();
    const actor: Principal = {
      userId: user.id,
      label: `${user.name} <${user.email}>`,
      role: user.role,
      memberships: [],
      pages: [],
      mustEnrolTwoFactor: false,
    };
    for (const membership of store.invites.memberships(row.id)) {
      if (store.orgs.isLive(membership.org_id))
        members.apply(actor, user, membership.org_id, membership.role);
    }
  }

  /** The pending invite a code names, for a new account: refused if spent or if its email has one already. */
  function acceptable(code: string): InviteRow {
    const row = store.invites.byCodeHash(hashToken(code));
    if (!row || row.used_at || row.revoked_at || row.expires_at <= clock.now().toISOString())
      throw NOT_VALID();
    if (store.users.byEmail(row.email))
      throw new AppError('CONFLICT', `${row.email} already has an account: sign in, then accept the invite.`);
    return row;
  }

  return {
    create(actor: Principal, scope: OrgScope, input: ChannelParsedInput<'invites.create'>) {
      return store.transaction(() => {
        for (const membership of input.memberships) {
          liveOrg(store, scope, membership.orgId);
          if (!allows(actor, 'users.manage') && !MANAGER_ASSIGNABLE.includes(membership.role))
            throw new AppError('FORBIDDEN', 'A manager invites into roles up to member only.');
        }
        // Only owners and admins learn that an email is the MSP's staff: a manager's invite to one is
        // made like any other, and never joins (staff hold every org already).
        const existing = allows(actor, 'users.manage')
          ? store.users.byEmail(input.email.toLowerCase())
          : undefined;
        if (existing && existing.role !== 'user')
          throw new AppError(
            'CONFLICT',
            `${existing.email} is an ${existing.role} and holds every org already.`,
          );
        const code = `${INVITE_MARK}${randomBytes(24).toString('base64url')}`;
        const now = clock.now();
        const row: InviteRow = {
          id: randomUUID(),
          code_hash: hashToken(code),
          email: input.email.toLowerCase(),
          invited_by: actor.label,
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + input.expiresDays * DAY_MS).toISOString(),
          used_at: null,
          used_by: null,
          revoked_at: null,
        };
        store.invites.insert(
          row,
          input.memberships.map((m) => ({ invite_id: row.id, org_id: m.orgId, role: m.role })),
        );
        for (const membership of input.memberships) {
          audit.record(actor, {
            action: 'member.invited',
            orgId: membership.orgId,
            target: { type: 'invite', id: row.id },
            summary: { after: { email: row.email, role: membership.role, expiresAt: row.expires_at } },
          });
        }
        return { invite: toInvite(row, row.created_at), code };
      });
    },

    list(scope: OrgScope, orgId: string | undefined): Invite[] {
      // Naming an org outside the scope is refused as every channel does, not answered with an empty list.
      if (orgId !== undefined && !scope.allows(orgId))
        throw new AppError('NOT_FOUND', 'No such organization.');
      const now = clock.now().toISOString();
      return store.invites
        .all()
        .filter((row) => {
          const orgs = store.invites.memberships(row.id).map((m) => m.org_id);
          return orgs.length > 0 && orgs.every((id) => scope.allows(id)) && (!orgId || orgs.includes(orgId));
        })
        .map((row) => toInvite(row, now));
    },

    revoke(actor: Principal, scope: OrgScope, id: string): Invite {
      return store.transaction(() => {
        const row = manageable(scope, store.invites.byId(id));
        const now = clock.now().toISOString();
        if (!store.invites.revoke(row.id, now))
          throw new AppError(
            'CONFLICT',
            'Only a pending invite can be revoked: this one was used or revoked.',
          );
        for (const membership of store.invites.memberships(row.id)) {
          audit.record(actor, {
            action: 'invite.revoked',
            orgId: membership.org_id,
            target: { type: 'invite', id: row.id },
            summary: { before: { email: row.email, role: membership.role } },
          });
        }
        return toInvite(store.invites.byId(row.id) as InviteRow, now);
      });
    },

    /** A new account from an invite: created, given the invite's memberships, and signed in. */
    async accept(input: ChannelParsedInput<'invites.accept'>): Promise<SignedIn> {
      // Checked before hashing too, so a spent code costs no hash; but only the check under the
      // write lock is sure: another accept of the same code (or the CLI's) may finish while this
      // one hashes, and its user row would then fail this insert as a server error.
      acceptable(input.code);
      const passwordHash = await hashPassword(input.password);
      const user = store.writeTransaction(() => {
        const row = acceptable(input.code);
        const now = clock.now().toISOString();
        const created: UserRow = {
          id: randomUUID(),
          email: row.email,
          name: input.name,
          role: 'user',
          password_hash: passwordHash,
          pages: JSON.stringify(['agents', 'knowledge', 'guardrails', 'audit']),
          all_client_orgs_role: null,
          ...NO_SECOND_FACTOR,
          disabled: 0,
          created_at: now,
          updated_at: now,
        };
        store.users.insert(created);
        redeem(input.code, created);
        return created;
      });
      return auth.startSession(user);
    },

    /** The invite's memberships added to the signed-in account it was sent to. */
    join(actor: Principal, code: string): void {
      store.transaction(() => {
        const user = actor.userId ? store.users.byId(actor.userId) : undefined;
        if (user?.role !== 'user') throw NOT_VALID();
        redeem(code, user);
      });
    },
  };
}

export type InvitesService = ReturnType<typeof createInvitesService>;
