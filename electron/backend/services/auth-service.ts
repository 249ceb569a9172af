import { randomUUID, timingSafeEqual } from 'node:crypto';
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
import { createSignInLimits, type SignInAttempt, type SignInLimits } from './sign-in-limits';
import { hashSetupCode, hashToken, isApiToken, newSessionToken } from './token-secrets';

/** A sign-in as the transport sees it: the attempt, and the client's device secret if it has one. */
export type SignInRequest = Omit<SignInAttempt, 'knownDeviceHash'> & { deviceSecret: string | null };

export interface SignedIn {
  token: string;
  user: SessionUser;
}

/** How stale an API token's "last used" may get before a request writes it again: reads stay reads. */
const LAST_USED_RESOLUTION_MS = 60_000;
const DAY_MS = 86_400_000;

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
  /** SHA-256 (hex) of the one-time setup code `orgdeck serve` printed; setup over HTTP then asks for it. */
  setupCodeHex: string | null = null,
  limits: SignInLimits = createSignInLimits(),
) {
  function startSession(user: UserRow): SignedIn {
    const token = newSessionToken();
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

  /**
   * The user an API token acts as, noting when it was used (to the minute, so reads rarely write).
   * The owner's lifetime cap counts from creation, so lowering it also ends older, longer tokens.
   */
  function apiTokenUserId(token: string, now: Date): string | undefined {
    const row = store.apiTokens.live(hashToken(token), now.toISOString());
    if (!row) return undefined;
    const capMs = settings.current().apiTokenMaxDays * DAY_MS;
    if (Date.parse(row.created_at) + capMs <= now.getTime()) return undefined;
    if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) >= LAST_USED_RESOLUTION_MS)
      store.apiTokens.touch(row.id, now.toISOString());
    return row.user_id;
  }

  /** A session token or an API token: either acts as its user, as that user is now. */
  function liveUser(token: string): UserWithOrg | undefined {
    const now = clock.now();
    const userId = isApiToken(token)
      ? apiTokenUserId(token, now)
      : store.sessions.live(hashToken(token), now.toISOString())?.user_id;
    const user = userId === undefined ? undefined : store.users.byId(userId);
    return user && lockedOut(user) === null ? user : undefined;
  }

  /** The hash of the one-time setup code while one is outstanding; only its issuer ever saw the code. */
  let setupCodeHash: Buffer | null = setupCodeHex === null ? null : Buffer.from(setupCodeHex, 'hex');

  return {
    needsSetup(): boolean {
      return store.users.activeOwners() === 0;
    },

    setupCodeRequired(): boolean {
      return setupCodeHash !== null && this.needsSetup();
    },

    async setup(input: ChannelParsedInput<'setup.init'>): Promise<SignedIn> {
      if (this.needsSetup() && setupCodeHash !== null) {
        const given = hashSetupCode(input.setupCode ?? '');
        if (!timingSafeEqual(given, setupCodeHash))
          throw new AppError(
            'FORBIDDEN',
            'The setup code is not right: enter the one orgdeck serve printed on its console when it started.',
            {
              issues: [
                { path: ['setupCode'], message: 'Enter the code orgdeck serve printed on its console' },
              ],
            },
          );
      }
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
        if (created) {
          setupCodeHash = null;
          return startSession(owner);
        }
      }
      throw new AppError('CONFLICT', 'Orgdeck is already set up: sign in with an existing account.');
    },

    async signIn(request: SignInRequest, password: string): Promise<SignedIn> {
      const { deviceSecret, ...client } = request;
      const key = request.email.toLowerCase();
      const now = clock.now().getTime();
      const user = store.users.byEmail(key);
      const deviceHash = deviceSecret === null ? null : hashToken(deviceSecret);
      const known =
        user !== undefined && deviceHash !== null && store.knownDevices.isKnown(deviceHash, user.id);
      const attempt: SignInAttempt = { ...client, knownDeviceHash: known ? deviceHash : null };
      limits.check(attempt, now);
      const matches = await verifyPassword(password, user?.password_hash ?? (await DECOY_HASH));
      const refusal = !user || !matches ? 'The email or password is not right.' : lockedOut(user);
      if (refusal !== null) {
        limits.fail(attempt, now);
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
      limits.succeed(attempt);
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

    /**
     * Records that the client holding `deviceSecret` (or a new one, returned) signed in to the user,
     * so that failures of others never slow its sign-ins down.
     */
    rememberDevice(userId: string, deviceSecret: string | null): string {
      const secret = deviceSecret ?? newSessionToken();
      store.knownDevices.remember(hashToken(secret), userId, clock.now().toISOString());
      return secret;
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
