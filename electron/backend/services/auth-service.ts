import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ChannelParsedInput } from '../../../shared/contract';
import { AppError } from '../../../shared/contract/envelope';
import type { SessionUser } from '../../../shared/contract/session';
import { openablePages } from '../../../shared/domain/permissions';
import { slugify } from '../../../shared/domain/slug';
import type { Clock } from '../store/clock';
import { type UserRow, type UserWithOrg, userPages } from '../store/repos/users-repo';
import type { Store } from '../store/store';
import type { AuditLog } from './audit-log';
import { DECOY_HASH, hashPassword, verifyPassword } from './passwords';
import type { Principal } from './principal';
import type { SettingsService } from './settings-service';
import { createSignInThrottle, type SignInThrottle } from './sign-in-throttle';

export interface SignedIn {
  token: string;
  user: SessionUser;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function toPrincipal(row: UserRow): Principal {
  return {
    userId: row.id,
    label: `${row.name} <${row.email}>`,
    role: row.role,
    boundOrgId: row.role === 'user' ? row.bound_org_id : null,
    pages: userPages(row),
  };
}

export function toSessionUser(row: UserRow): SessionUser {
  const principal = toPrincipal(row);
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    boundOrgId: principal.boundOrgId,
    pages: openablePages(principal),
  };
}

export function createAuthService(
  store: Store,
  clock: Clock,
  audit: AuditLog,
  settings: SettingsService,
  throttle: SignInThrottle = createSignInThrottle(),
) {
  function startSession(user: UserRow): SignedIn {
    const token = randomBytes(32).toString('base64url');
    const now = clock.now();
    const lifetimeMs = settings.current().sessionTimeoutHours * 3_600_000;
    store.sessions.insert({
      token_hash: hashToken(token),
      user_id: user.id,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + lifetimeMs).toISOString(),
    });
    return { token, user: toSessionUser(user) };
  }

  /** Why this user may not have a session now, or null. A user bound to a deleted org has nothing to see. */
  function lockedOut(user: UserWithOrg): string | null {
    if (user.disabled) return 'This account is disabled.';
    if (user.role === 'user' && user.bound_org_id && !store.orgs.isLive(user.bound_org_id)) {
      return 'Your organization has been deleted.';
    }
    return null;
  }

  function liveUser(token: string): UserWithOrg | undefined {
    const session = store.sessions.live(hashToken(token), clock.now().toISOString());
    const user = session && store.users.byId(session.user_id);
    return user && lockedOut(user) === null ? user : undefined;
  }

  return {
    needsSetup(): boolean {
      return store.users.activeOwners() === 0;
    },

    async setup(input: ChannelParsedInput<'setup.init'>): Promise<SignedIn> {
      if (this.needsSetup()) {
        const passwordHash = await hashPassword(input.password);
        const now = clock.now().toISOString();
        const orgName = input.orgName ?? 'Platform';
        const orgId = randomUUID();
        const owner: UserRow = {
          id: randomUUID(),
          email: input.ownerEmail.toLowerCase(),
          name: input.ownerName,
          role: 'owner',
          password_hash: passwordHash,
          bound_org_id: null,
          pages: '[]',
          disabled: 0,
          created_at: now,
          updated_at: now,
        };
        const created = store.transaction(() => {
          if (!this.needsSetup()) return false;
          store.orgs.insert({
            id: orgId,
            slug: slugify(orgName) || 'platform',
            name: orgName,
            is_owner: 1,
            timezone: 'UTC',
            rate_micros: 0,
            billing_mode: 'prorated',
            contact_name: input.ownerName,
            contact_email: owner.email,
            description: '',
            budget_micros: null,
            active: 1,
            deleted_at: null,
            created_at: now,
            updated_at: now,
          });
          store.users.insert(owner);
          const actor = toPrincipal(owner);
          audit.record(actor, {
            action: 'org.created',
            orgId,
            target: { type: 'org', id: orgId },
            summary: { after: { name: orgName, owner: true } },
          });
          audit.record(actor, {
            action: 'user.created',
            orgId: null,
            target: { type: 'user', id: owner.id },
            summary: { after: { email: owner.email, role: 'owner' } },
          });
          return true;
        });
        if (created) return startSession(owner);
      }
      throw new AppError('CONFLICT', 'Orgdeck is already set up: sign in with an existing account.');
    },

    async signIn(email: string, password: string): Promise<SignedIn> {
      const key = email.toLowerCase();
      const now = clock.now().getTime();
      const wait = throttle.retryAfter(key, now);
      if (wait > 0) {
        throw new AppError(
          'RATE_LIMITED',
          `Too many failed sign-ins for this email. Try again in ${Math.ceil(wait / 60_000)} minute(s).`,
          { retryAfterSeconds: Math.ceil(wait / 1000) },
        );
      }
      const user = store.users.byEmail(key);
      const matches = await verifyPassword(password, user?.password_hash ?? (await DECOY_HASH));
      const refusal = !user || !matches ? 'The email or password is not right.' : lockedOut(user);
      if (refusal !== null) {
        throttle.fail(key, now);
        audit.record(
          { userId: user?.id ?? null, label: key },
          {
            action: 'session.sign_in_failed',
            orgId: user?.bound_org_id ?? null,
            target: { type: 'user', id: user?.id ?? key },
            summary: { after: { reason: user && matches ? refusal : 'wrong email or password' } },
          },
        );
        throw new AppError('UNAUTHENTICATED', refusal);
      }
      throttle.succeed(key);
      const signedIn = startSession(user as UserWithOrg);
      const principal = toPrincipal(user as UserRow);
      audit.record(principal, {
        action: 'session.signed_in',
        orgId: principal.boundOrgId,
        target: { type: 'user', id: principal.userId ?? key },
        summary: {},
      });
      return signedIn;
    },

    signOut(token: string): void {
      store.sessions.remove(hashToken(token));
    },

    currentUser(token: string | null): SessionUser | null {
      const user = token ? liveUser(token) : undefined;
      return user ? toSessionUser(user) : null;
    },

    /** Read from the store on every request, so a changed role, binding or page takes effect at once. */
    principalFor(token: string): Principal | null {
      const user = liveUser(token);
      return user ? toPrincipal(user) : null;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
