import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/contract/envelope';
import type { SessionUser } from '../../../shared/contract/session';
import { slugify } from '../../../shared/domain/slug';
import type { Clock } from '../store/clock';
import type { UserRow } from '../store/repos/users-repo';
import type { Store } from '../store/store';
import { DECOY_HASH, hashPassword, verifyPassword } from './passwords';
import type { Principal } from './principal';
import { createSignInThrottle, type SignInThrottle } from './sign-in-throttle';

export interface AuthOptions {
  sessionHours?: number;
  throttle?: SignInThrottle;
}

export interface SignedIn {
  token: string;
  user: SessionUser;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function toSessionUser(row: UserRow): SessionUser {
  return { id: row.id, email: row.email, name: row.name, role: row.role, boundOrgId: row.bound_org_id };
}

export function createAuthService(store: Store, clock: Clock, options: AuthOptions = {}) {
  const sessionMs = (options.sessionHours ?? 8) * 3_600_000;
  const throttle = options.throttle ?? createSignInThrottle();

  function startSession(user: UserRow): SignedIn {
    const token = randomBytes(32).toString('base64url');
    const now = clock.now();
    store.sessions.insert({
      token_hash: hashToken(token),
      user_id: user.id,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + sessionMs).toISOString(),
    });
    return { token, user: toSessionUser(user) };
  }

  function liveUser(token: string): UserRow | undefined {
    const session = store.sessions.live(hashToken(token), clock.now().toISOString());
    const user = session && store.users.byId(session.user_id);
    return user && !user.disabled ? user : undefined;
  }

  return {
    needsSetup(): boolean {
      return store.users.activeOwners() === 0;
    },

    async setup(input: { ownerEmail: string; ownerName: string; password: string; orgName?: string }) {
      if (this.needsSetup()) {
        const passwordHash = await hashPassword(input.password);
        const now = clock.now().toISOString();
        const orgName = input.orgName ?? 'Platform';
        const owner: UserRow = {
          id: randomUUID(),
          email: input.ownerEmail.toLowerCase(),
          name: input.ownerName,
          role: 'owner',
          password_hash: passwordHash,
          bound_org_id: null,
          disabled: 0,
          created_at: now,
          updated_at: now,
        };
        const created = store.transaction(() => {
          if (!this.needsSetup()) return false;
          store.orgs.insert({
            id: randomUUID(),
            slug: slugify(orgName) || 'platform',
            name: orgName,
            is_owner: 1,
            timezone: 'UTC',
            rate_micros: 0,
            created_at: now,
          });
          store.users.insert(owner);
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
      if (!user || !matches || user.disabled) {
        throttle.fail(key, now);
        throw new AppError('UNAUTHENTICATED', 'The email or password is not right.');
      }
      throttle.succeed(key);
      return startSession(user);
    },

    signOut(token: string): void {
      store.sessions.remove(hashToken(token));
    },

    currentUser(token: string | null): SessionUser | null {
      const user = token ? liveUser(token) : undefined;
      return user ? toSessionUser(user) : null;
    },

    principalFor(token: string): Principal | null {
      const user = liveUser(token);
      return user ? { userId: user.id, role: user.role, boundOrgId: user.bound_org_id } : null;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
