import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { ChannelParsedInput } from '../../../shared/contract';
import { AppError } from '../../../shared/contract/envelope';
import type { SessionUser } from '../../../shared/contract/session';
import type { Settings } from '../../../shared/contract/settings';
import { DAY_MS, HOUR_MS } from '../../../shared/domain/days';
import { DEFAULT_ALERT_THRESHOLDS } from '../../../shared/domain/forecast';
import { type Membership, openablePages } from '../../../shared/domain/permissions';
import { slugify } from '../../../shared/domain/slug';
import type { Clock } from '../store/clock';
import { NO_SECOND_FACTOR, type UserRow, userPages } from '../store/repos/users-repo';
import type { Store } from '../store/store';
import type { AuditLog } from './audit-log';
import { DECOY_HASH, hashPassword, verifyPassword } from './passwords';
import type { Principal } from './principal';
import type { SettingsService } from './settings-service';
import type { SignInAttempt, SignInLimits } from './sign-in-limits';
import { hashSetupCode, hashToken, isApiToken, newSessionToken } from './token-secrets';
import { type TwoFactorService, USED_CODE } from './two-factor-service';

/** A sign-in as the transport sees it: the attempt, and the client's device secret if it has one. */
export type SignInRequest = Omit<SignInAttempt, 'knownDeviceHash'> & { deviceSecret: string | null };

export interface SignedIn {
  token: string;
  user: SessionUser;
}

/** How stale an API token's "last used" may get before a request writes it again: reads stay reads. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The live orgs a user holds: their memberships, and every live client org for staff who serve them all. */
export function membershipsOf(store: Store, user: UserRow): Membership[] {
  if (user.role !== 'user') return [];
  const held = store.memberships
    .ofUser(user.id)
    .filter((row) => !row.org_deleted)
    .map((row): Membership => ({ orgId: row.org_id, role: row.role }));
  const everyClientRole = user.all_client_orgs_role;
  if (everyClientRole === null) return held;
  const explicit = new Set(held.map((membership) => membership.orgId));
  const rest = store.memberships.liveClientOrgIds().filter((orgId) => !explicit.has(orgId));
  return [...held, ...rest.map((orgId): Membership => ({ orgId, role: everyClientRole }))];
}

/** Two-factor sign-in is required and this user has no second factor yet. */
export const mustEnrol = (required: boolean, row: UserRow) => required && row.totp_seed === null;

export function principalOf(store: Store, row: UserRow, twoFactorRequired: boolean): Principal {
  return {
    userId: row.id,
    label: `${row.name} <${row.email}>`,
    role: row.role,
    memberships: store.asUser(row.id, () => membershipsOf(store, row)),
    pages: userPages(row),
    mustEnrolTwoFactor: mustEnrol(twoFactorRequired, row),
  };
}

export function toSessionUser(store: Store, row: UserRow, twoFactorRequired: boolean): SessionUser {
  const principal = principalOf(store, row, twoFactorRequired);
  const only = principal.memberships.length === 1 && row.all_client_orgs_role === null;
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    boundOrgId: only ? (principal.memberships[0]?.orgId ?? null) : null,
    memberships: principal.memberships,
    pages: openablePages(principal),
    mustEnrolTwoFactor: mustEnrol(twoFactorRequired, row),
  };
}

export function createAuthService(
  store: Store,
  clock: Clock,
  audit: AuditLog,
  settings: SettingsService,
  twoFactor: TwoFactorService,
  /** SHA-256 (hex) of the one-time setup code `orgdeck serve` printed; setup over HTTP then asks for it. */
  setupCodeHex: string | null = null,
  limits: SignInLimits,
) {
  function startSession(user: UserRow): SignedIn {
    const token = newSessionToken();
    const now = clock.now();
    const lifetimeMs = settings.current().sessionTimeoutHours * HOUR_MS;
    store.sessions.insert({
      token_hash: hashToken(token),
      user_id: user.id,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + lifetimeMs).toISOString(),
    });
    return { token, user: toSessionUser(store, user, settings.current().requireTwoFactor) };
  }

  /** Why this user may not have a session now, or null. A user whose every org was deleted has nothing to see. */
  function lockedOut(user: UserRow): string | null {
    if (user.disabled) return 'This account is disabled.';
    const held = user.role === 'user' ? store.asUser(user.id, () => store.memberships.ofUser(user.id)) : [];
    if (held.length > 0 && user.all_client_orgs_role === null && held.every((row) => row.org_deleted)) {
      return held.length === 1
        ? 'Your organization has been deleted.'
        : 'Your organizations have been deleted.';
    }
    return null;
  }

  /**
   * The user an API token acts as, noting when it was used (to the minute, so reads rarely write).
   * The owner's lifetime cap counts from creation, so lowering it also ends older, longer tokens.
   */
  function apiTokenUserId(token: string, now: Date, current: Settings): string | undefined {
    const row = store.apiTokens.live(hashToken(token), now.toISOString());
    if (!row) return undefined;
    const capMs = current.apiTokenMaxDays * DAY_MS;
    if (Date.parse(row.created_at) + capMs <= now.getTime()) return undefined;
    if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) >= LAST_USED_RESOLUTION_MS)
      store.apiTokens.touch(row.id, now.toISOString());
    return row.user_id;
  }

  /**
   * The user a session acts as. The owner's timeout counts from sign-in, so lowering it also ends
   * longer sessions already open (their expiry was set by the timeout of the day they began).
   */
  function sessionUserId(token: string, now: Date, current: Settings): string | undefined {
    const row = store.sessions.live(hashToken(token), now.toISOString());
    if (!row) return undefined;
    const timeoutMs = current.sessionTimeoutHours * HOUR_MS;
    return Date.parse(row.created_at) + timeoutMs <= now.getTime() ? undefined : row.user_id;
  }

  /**
   * A session token or an API token: either acts as its user, as that user is now, under `current`
   * settings (read once per call: every call of a signed-in user comes through here).
   */
  function liveUser(token: string, current: Settings): UserRow | undefined {
    const now = clock.now();
    const userId = isApiToken(token)
      ? apiTokenUserId(token, now, current)
      : sessionUserId(token, now, current);
    const user = userId === undefined ? undefined : store.users.byId(userId);
    return user && lockedOut(user) === null ? user : undefined;
  }

  /**
   * The hash of the setup code this process was started with; only its issuer ever saw the code.
   * Kept after setup: should the store ever be without an owner again while this process serves
   * it, setup still asks for the code rather than going to whoever asks first.
   */
  const setupCodeHash: Buffer | null = setupCodeHex === null ? null : Buffer.from(setupCodeHex, 'hex');

  return {
    /** A new session for a user who has just proved who they are another way (an invite accepted). */
    startSession,

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
          pages: '[]',
          all_client_orgs_role: null,
          ...NO_SECOND_FACTOR,
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
            alert_thresholds: JSON.stringify(DEFAULT_ALERT_THRESHOLDS),
            active: 1,
            deleted_at: null,
            created_at: now,
            updated_at: now,
          });
          store.users.insert(owner);
          const actor = principalOf(store, owner, false);
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

    async signIn(request: SignInRequest, password: string, totp?: string): Promise<SignedIn> {
      const { deviceSecret, ...client } = request;
      const key = request.email.toLowerCase();
      const now = clock.now().getTime();
      const user = store.users.byEmail(key);
      const deviceHash = deviceSecret === null ? null : hashToken(deviceSecret);
      const known =
        user !== undefined && deviceHash !== null && store.knownDevices.isKnown(deviceHash, user.id);
      const attempt: SignInAttempt = { ...client, knownDeviceHash: known ? deviceHash : null };
      const admitted = limits.admit(attempt, now);
      // Hashed outside the call's transaction: on PostgreSQL the attempt's count is committed first,
      // for every server to see, and this server's other calls go on while the password hashes.
      const matches = await store.outsideCall(() =>
        verifyPassword(password, user?.password_hash ?? DECOY_HASH),
      );
      const refusal = !user || !matches ? 'The email or password is not right.' : lockedOut(user);
      // The attempt was counted as a failure when admitted: a refusal leaves it counted.
      const refuse = (message: string, reason: string, details?: unknown): never => {
        audit.record(
          { userId: user?.id ?? null, label: key },
          {
            action: 'session.sign_in_failed',
            orgId: null,
            target: { type: 'user', id: user?.id ?? key },
            summary: { after: { reason } },
          },
        );
        throw new AppError('UNAUTHENTICATED', message, details);
      };
      if (refusal !== null) refuse(refusal, user && matches ? refusal : 'wrong email or password');
      const account = user as UserRow;
      if (account.totp_seed) {
        // The password was right: asking for the code is no failure, a wrong code is one (throttled alike).
        if (!totp) {
          limits.passwordRight(admitted);
          throw new AppError('UNAUTHENTICATED', 'Enter the code from your authenticator app.', {
            needs: 'totp',
          });
        }
        const proof = await twoFactor.verify(account, totp);
        if (proof !== 'proved')
          refuse(proof === 'used' ? USED_CODE : 'The code is not right.', 'wrong second-factor code', {
            needs: 'totp',
          });
      }
      // A password reset or a disabling committed while the password hashed (or the code was
      // checked) ended the sign-ins there were: none starts after it on what was checked before.
      // Read again with the session's insert, the row held (heldById) so none can commit between.
      const started = store.transaction(
        (): { refusal: string; reason: string } | { signedIn: SignedIn; user: UserRow } => {
          const current = store.users.heldById(account.id);
          if (!current || current.password_hash !== account.password_hash)
            return { refusal: 'The email or password is not right.', reason: 'password changed meanwhile' };
          const lockedNow = lockedOut(current);
          if (lockedNow !== null) return { refusal: lockedNow, reason: lockedNow };
          limits.succeed(admitted);
          return { signedIn: startSession(current), user: current };
        },
      );
      if ('refusal' in started) return refuse(started.refusal, started.reason);
      const { signedIn, user: signedInUser } = started;
      const principal = principalOf(store, signedInUser, settings.current().requireTwoFactor);
      audit.record(principal, {
        action: 'session.signed_in',
        orgId: null,
        target: { type: 'user', id: principal.userId ?? key },
        summary: {},
      });
      return signedIn;
    },

    /**
     * Records that the client signed in to the user, so that failures of others never slow its
     * sign-ins down: under the `deviceSecret` it holds when the account knows it already, else under
     * a new one. Returns the secret the client keeps.
     */
    rememberDevice(userId: string, deviceSecret: string | null): string {
      // A secret this account does not know yet is not taken as sent: another site on the same host
      // can plant a cookie, and whoever planted it would share the account's known device.
      const known = deviceSecret !== null && store.knownDevices.isKnown(hashToken(deviceSecret), userId);
      const secret = known ? deviceSecret : newSessionToken();
      store.knownDevices.remember(hashToken(secret), userId, clock.now().toISOString());
      return secret;
    },

    signOut(token: string): void {
      store.sessions.remove(hashToken(token));
    },

    currentUser(token: string | null): SessionUser | null {
      const current = settings.current();
      const user = token ? liveUser(token, current) : undefined;
      return user ? toSessionUser(store, user, current.requireTwoFactor) : null;
    },

    /** Read from the store on every request, so a changed role, binding or page takes effect at once. */
    principalFor(token: string): Principal | null {
      const current = settings.current();
      const user = liveUser(token, current);
      return user ? principalOf(store, user, current.requireTwoFactor) : null;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
