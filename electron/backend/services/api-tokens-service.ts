import { randomUUID } from 'node:crypto';
import type { ChannelOutput, ChannelParsedInput } from '../../../shared/contract';
import { AppError } from '../../../shared/contract/envelope';
import type { ApiToken } from '../../../shared/contract/tokens';
import { DAY_MS } from '../../../shared/domain/days';
import { allows } from '../../../shared/domain/permissions';
import type { Clock } from '../store/clock';
import type { ApiTokenRow } from '../store/repos/api-tokens-repo';
import type { UserRow } from '../store/repos/users-repo';
import type { Store } from '../store/store';
import type { AuditLog } from './audit-log';
import { endEverySignIn } from './end-sign-ins';
import { verifyPassword } from './passwords';
import type { Principal } from './principal';
import type { SettingsService } from './settings-service';
import type { SignInAttempt, SignInLimits } from './sign-in-limits';
import { hashToken, newApiToken } from './token-secrets';
import { type TwoFactorService, USED_CODE } from './two-factor-service';

/** As the lists show it: its expiry is the earlier of its own and the owner's cap from its creation. */
function toApiToken(row: ApiTokenRow, now: Date, maxDays: number): ApiToken {
  const expiresAt = new Date(
    Math.min(Date.parse(row.created_at) + maxDays * DAY_MS, Date.parse(row.expires_at)),
  ).toISOString();
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    expiresAt,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    status: row.revoked_at ? 'revoked' : Date.parse(expiresAt) <= now.getTime() ? 'expired' : 'active',
  };
}

/**
 * API tokens for scripts and remote clients. A token is a credential of its user: it acts with
 * the user's role and memberships as they are at each request (see the auth service), so this
 * service only decides who may see, mint and revoke them.
 */
export function createApiTokensService(
  store: Store,
  clock: Clock,
  audit: AuditLog,
  settings: SettingsService,
  twoFactor: TwoFactorService,
  /** Sign-in's limits: a password or code guessed here counts as a failed sign-in of the account. */
  limits: SignInLimits,
) {
  /** The user whose tokens the actor asks about: themselves, or anyone for owners and admins. */
  function subject(actor: Principal, userId: string | undefined): UserRow {
    const id = userId ?? actor.userId;
    if (!id) throw new AppError('VALIDATION', 'Name the user whose tokens these are.');
    if (id !== actor.userId && !allows(actor, 'users.manage')) {
      throw new AppError('FORBIDDEN', 'You can only manage your own API tokens.');
    }
    const user = store.users.byId(id);
    if (!user) throw new AppError('NOT_FOUND', 'No such user.');
    return user;
  }

  /** Minting or revoking another's token is managing that user: only owners manage owners. */
  function mayManage(actor: Principal, user: UserRow): void {
    if (user.id !== actor.userId && user.role === 'owner' && actor.role !== 'owner') {
      throw new AppError('FORBIDDEN', 'Only an owner can manage an owner’s API tokens.');
    }
  }

  const owner = (user: UserRow) => ({ id: user.id, email: user.email, name: user.name });

  /**
   * A person minting a token proves again who they are, with their second factor too when they
   * have one: a session left open (or stolen) alone mints no credential that outlives it. The CLI
   * on the data directory has no password to give.
   */
  async function confirmIdentity(
    actor: Principal,
    { password, totpCode }: { password?: string; totpCode?: string },
    clientAddress: string | undefined,
  ): Promise<string | null> {
    // The computer's own owner (the CLI, the desktop's local profile) has no password to prove.
    if (actor.userId === null) return null;
    const refuse = (field: 'password' | 'totpCode', message: string, needs?: 'totp') =>
      new AppError('FORBIDDEN', message, { issues: [{ path: [field], message }], ...(needs && { needs }) });
    if (!password) throw refuse('password', 'Enter your password to create a token.');
    const self = store.users.byId(actor.userId);
    if (!self) throw refuse('password', 'That is not your password.');
    const attempt: SignInAttempt = { email: self.email, clientAddress, knownDeviceHash: null };
    const now = clock.now().getTime();
    // Counted as a failure until it proves right (SignInLimits.admit), as a sign-in is.
    const admitted = limits.admit(attempt, now);
    if (!(await store.outsideCall(() => verifyPassword(password, self.password_hash))))
      throw refuse('password', 'That is not your password.');
    if (self.totp_seed !== null) {
      if (!totpCode) {
        limits.passwordRight(admitted);
        throw refuse('totpCode', 'Enter the code from your authenticator app to create a token.', 'totp');
      }
      const proof = await twoFactor.verify(self, totpCode);
      if (proof !== 'proved')
        throw refuse(
          'totpCode',
          proof === 'used' ? USED_CODE : 'That code is not right: enter the current one from your app.',
          'totp',
        );
    }
    limits.succeed(admitted);
    return self.password_hash;
  }

  function tooLong(days: number): AppError | null {
    const max = settings.current().apiTokenMaxDays;
    if (days <= max) return null;
    const message = `Tokens last at most ${max} day${max === 1 ? '' : 's'} here (an owner setting).`;
    return new AppError('VALIDATION', message, { issues: [{ path: ['expiresInDays'], message }] });
  }

  return {
    list(actor: Principal, userId: string | undefined): ChannelOutput<'tokens.list'> {
      const user = subject(actor, userId);
      const now = clock.now();
      return {
        user: owner(user),
        tokens: store.apiTokens
          .forUser(user.id)
          .map((row) => toApiToken(row, now, settings.current().apiTokenMaxDays)),
        maxExpiresInDays: settings.current().apiTokenMaxDays,
      };
    },

    async create(
      actor: Principal,
      input: ChannelParsedInput<'tokens.create'>,
      clientAddress?: string,
    ): Promise<ChannelOutput<'tokens.create'>> {
      const refusal = tooLong(input.expiresInDays);
      if (refusal) throw refusal;
      // Who it is for is settled before asking for proof: a refusal names the real reason.
      mayManage(actor, subject(actor, input.userId));
      const proved = await confirmIdentity(actor, input, clientAddress);
      const { secret, prefix } = newApiToken();
      return store.transaction(() => {
        // A password reset while this one was checked ended every sign-in: no token comes after it.
        if (proved !== null && store.users.heldById(actor.userId ?? '')?.password_hash !== proved)
          throw new AppError('FORBIDDEN', 'Your password was changed meanwhile: sign in again.');
        const user = subject(actor, input.userId);
        mayManage(actor, user);
        if (user.disabled) throw new AppError('CONFLICT', `${user.name} is disabled: enable them first.`);
        const now = clock.now();
        const row: ApiTokenRow = {
          id: randomUUID(),
          user_id: user.id,
          name: input.name,
          token_hash: hashToken(secret),
          prefix,
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + input.expiresInDays * DAY_MS).toISOString(),
          last_used_at: null,
          revoked_at: null,
        };
        store.apiTokens.insert(row);
        audit.record(actor, {
          action: 'token.created',
          orgId: null,
          target: { type: 'api_token', id: row.id },
          summary: { after: { user: user.email, name: row.name, prefix, expiresAt: row.expires_at } },
        });
        return { token: toApiToken(row, now, settings.current().apiTokenMaxDays), secret };
      });
    },

    revoke(actor: Principal, id: string): ApiToken {
      return store.transaction(() => {
        const row = store.apiTokens.byId(id);
        // Someone else's token is as unknown to a plain user as one that does not exist.
        if (!row || (row.user_id !== actor.userId && !allows(actor, 'users.manage'))) {
          throw new AppError('NOT_FOUND', 'No such API token.');
        }
        const user = subject(actor, row.user_id);
        mayManage(actor, user);
        const now = clock.now();
        if (!row.revoked_at) {
          store.apiTokens.revoke(id, now.toISOString());
          audit.record(actor, {
            action: 'token.revoked',
            orgId: null,
            target: { type: 'api_token', id },
            summary: { before: { user: user.email, name: row.name, prefix: row.prefix } },
          });
        }
        return toApiToken(store.apiTokens.byId(id) as ApiTokenRow, now, settings.current().apiTokenMaxDays);
      });
    },

    /** Ends every session and revokes every API token of the user (the caller's own included). */
    signOutEverywhere(
      actor: Principal,
      userId: string | undefined,
    ): ChannelOutput<'session.signOutEverywhere'> {
      return store.transaction(() => {
        const user = subject(actor, userId);
        mayManage(actor, user);
        const ended = endEverySignIn(store, user.id, clock.now().toISOString());
        audit.record(actor, {
          action: 'user.signed_out_everywhere',
          orgId: null,
          target: { type: 'user', id: user.id },
          summary: { after: ended },
        });
        return ended;
      });
    },

    /** `session.signOut` with an API token: the token is what signs in, so it is what ends. */
    revokeBySecret(actor: Principal, secret: string): void {
      const row = store.apiTokens.live(hashToken(secret), clock.now().toISOString());
      if (row) this.revoke(actor, row.id);
    },
  };
}

export type ApiTokensService = ReturnType<typeof createApiTokensService>;
