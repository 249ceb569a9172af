import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { toDataURL } from 'qrcode';
import { AppError } from '../../../shared/contract/envelope';
import type { Clock } from '../store/clock';
import type { UserRow } from '../store/repos/users-repo';
import type { Store } from '../store/store';
import type { AuditLog } from './audit-log';
import type { Principal } from './principal';
import type { SettingsService } from './settings-service';
import { hashToken } from './token-secrets';
import type { TotpSeal } from './totp-seal';

const RECOVERY_CODES = 10;
const ISSUER = 'Orgdeck';

const TOTP_STEP_MS = 30_000;
/** Said of a code that was right, but whose 30 s proved the factor already (a sign-in on another device). */
/** The 30 s step of a code found `delta` steps from the one in effect at `at` (ms). */
const stepOf = (at: number, delta: number) => Math.floor(at / TOTP_STEP_MS) + delta;
export const USED_CODE = 'That code was used already: enter the next one from your app.';

/** RFC 6238 with the parameters every authenticator app reads: SHA-1, 6 digits, 30 s. */
const totpFor = (seed: string, email: string) =>
  new TOTP({
    issuer: ISSUER,
    label: email,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_STEP_MS / 1000,
    secret: Secret.fromBase32(seed),
  });

/** Recovery codes are typed by hand: lowercase, without characters that look alike. */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
/**
 * 16 of 31 characters, 79 bits: kept as an unsalted SHA-256 like every other secret here, a code
 * must be too many to try from a copy of the store (ten characters, 49 bits, were not).
 */
const RECOVERY_CODE_LENGTH = 16;

function newRecoveryCode(): string {
  let chars = '';
  while (chars.length < RECOVERY_CODE_LENGTH) {
    // Bytes past the last whole multiple of the alphabet are dropped, so every character is as likely.
    for (const byte of randomBytes(RECOVERY_CODE_LENGTH)) {
      if (byte < 256 - (256 % RECOVERY_ALPHABET.length) && chars.length < RECOVERY_CODE_LENGTH)
        chars += RECOVERY_ALPHABET[byte % RECOVERY_ALPHABET.length];
    }
  }
  return groupedRecovery(chars);
}

/** Groups of 4 (`abcd-efgh-jkmn-pqrs`); codes given before were 10 characters in groups of 5. */
const groupedRecovery = (chars: string) =>
  (chars.match(chars.length === 10 ? /.{1,5}/g : /.{1,4}/g) ?? []).join('-');

/** The code as it was hashed, however it is typed: any case, with or without dashes and spaces. */
const normalizeRecovery = (code: string) => groupedRecovery(code.toLowerCase().replace(/[\s-]+/g, ''));

export function createTwoFactorService(
  store: Store,
  clock: Clock,
  audit: AuditLog,
  settings: SettingsService,
  seal: TotpSeal,
) {
  function self(actor: Principal): UserRow {
    const user = actor.userId ? store.users.byId(actor.userId) : undefined;
    if (!user) throw new AppError('FORBIDDEN', 'Sign in as a user to set up two-factor sign-in.');
    return user;
  }

  return {
    status(actor: Principal) {
      const user = self(actor);
      return {
        enrolled: user.totp_seed !== null,
        recoveryCodesLeft: store.recoveryCodes.left(user.id),
        required: settings.current().requireTwoFactor,
      };
    },

    async begin(actor: Principal) {
      const user = self(actor);
      if (user.totp_seed) throw new AppError('CONFLICT', 'Two-factor sign-in is already set up for you.');
      const seed = new Secret({ size: 20 }).base32;
      const sealed = await seal.seal(seed);
      // Read again as the change writes it (locked on PostgreSQL): a disable or role change another
      // server made while the seed was sealed stays.
      store.transaction(() => {
        const current = store.users.byIdForChange(user.id);
        if (!current) throw new AppError('NOT_FOUND', 'No such user.');
        store.users.update({ ...current, totp_pending_seed: sealed, updated_at: clock.now().toISOString() });
      });
      const otpauthUrl = totpFor(seed, user.email).toString();
      return { otpauthUrl, secret: seed, qrDataUrl: await toDataURL(otpauthUrl, { margin: 1, width: 220 }) };
    },

    async confirm(actor: Principal, code: string) {
      const user = self(actor);
      if (!user.totp_pending_seed)
        throw new AppError('CONFLICT', 'Start setting up two-factor sign-in first.');
      const seed = await seal.open(user.totp_pending_seed);
      const at = clock.now().getTime();
      const delta = totpFor(seed, user.email).validate({ token: code, timestamp: at, window: 1 });
      if (delta === null)
        throw new AppError(
          'VALIDATION',
          'That code does not match: check the app’s clock and try the next code.',
          {
            issues: [{ path: ['code'], message: 'The code does not match' }],
          },
        );
      const recoveryCodes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
      store.transaction(() => {
        const now = clock.now().toISOString();
        const current = store.users.byIdForChange(user.id) as UserRow;
        store.users.update({
          ...current,
          totp_seed: current.totp_pending_seed,
          totp_pending_seed: null,
          totp_enrolled_at: now,
          updated_at: now,
        });
        // The code that confirmed it is spent too: it cannot sign in within the 90 s it stays valid.
        store.users.takeTotpStep(user.id, stepOf(at, delta));
        store.recoveryCodes.replace(
          user.id,
          recoveryCodes.map((c) => hashToken(normalizeRecovery(c))),
        );
        audit.record(actor, {
          action: 'user.two_factor_enrolled',
          orgId: null,
          target: { type: 'user', id: user.id },
          summary: { after: { twoFactor: true } },
        });
      });
      return { recoveryCodes };
    },

    /**
     * Whether a code proves the second factor: a current TOTP code not used before, or an unused
     * recovery code (then spent). `used`: a current code whose step proved the factor already.
     */
    async verify(user: UserRow, code: string): Promise<'proved' | 'wrong' | 'used'> {
      if (!user.totp_seed) return 'proved';
      const trimmed = code.trim();
      if (/^\d{6}$/.test(trimmed)) {
        const seed = await seal.open(user.totp_seed);
        const now = clock.now().getTime();
        const delta = totpFor(seed, user.email).validate({ token: trimmed, timestamp: now, window: 1 });
        if (delta === null) return 'wrong';
        // A code proves the factor once: its step, or an earlier one, used again is refused.
        return store.users.takeTotpStep(user.id, stepOf(now, delta)) ? 'proved' : 'used';
      }
      const spent = store.recoveryCodes.spend(
        user.id,
        hashToken(normalizeRecovery(trimmed)),
        clock.now().toISOString(),
      );
      return spent ? 'proved' : 'wrong';
    },

    reset(actor: Principal, userId: string): void {
      if (actor.role !== 'owner') throw new AppError('FORBIDDEN', 'Only an owner can reset a second factor.');
      store.transaction(() => {
        const user = store.users.byIdForChange(userId);
        if (!user) throw new AppError('NOT_FOUND', 'No such user.');
        store.users.update({
          ...user,
          totp_pending_seed: null,
          totp_seed: null,
          totp_enrolled_at: null,
          updated_at: clock.now().toISOString(),
        });
        store.recoveryCodes.replace(user.id, []);
        audit.record(actor, {
          action: 'user.two_factor_reset',
          orgId: null,
          target: { type: 'user', id: user.id },
          summary: { before: { twoFactor: user.totp_seed !== null }, after: { twoFactor: false } },
        });
      });
    },
  };
}

export type TwoFactorService = ReturnType<typeof createTwoFactorService>;
