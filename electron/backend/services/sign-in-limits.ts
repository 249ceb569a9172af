import { AppError } from '../../../shared/contract/envelope';
import { DAY_MS } from '../../../shared/domain/days';
import { type BackoffRule, createSignInThrottle, type SignInThrottle } from './sign-in-throttle';
import { hashToken } from './token-secrets';

/** Who is trying to sign in, as far as the transport knows. */
export interface SignInAttempt {
  email: string;
  /** The client's IP address (HTTP); absent for the desktop window and the CLI. */
  clientAddress?: string;
  /** The session or API token the request already carries, if any. */
  sessionToken?: string | null;
  /**
   * The hash of the client's device secret when that device signed in to this account before
   * (a known device); null for any other client.
   */
  knownDeviceHash: string | null;
}

export interface SignInRules {
  /** One account from one client address: the tight one. */
  accountAtAddress: BackoffRule;
  /** One account from every unknown client together: slows guessing spread over many addresses. */
  account: BackoffRule;
  /** One address, whichever accounts: an office behind one NAT shares it, so it is looser. */
  client: BackoffRule;
  /** A signed-in caller guessing at other accounts from inside the console. */
  session: BackoffRule;
  /** A device that signed in to this account before: only its own failures slow it. */
  knownDevice: BackoffRule;
}

const SECOND = 1000;
const QUARTER_HOUR = 15 * 60 * SECOND;
const rule = (freeFailures: number): BackoffRule => ({
  freeFailures,
  firstDelayMs: 30 * SECOND,
  maxDelayMs: QUARTER_HOUR,
  forgetAfterMs: DAY_MS,
});

/**
 * Nobody can lock an account by failing to sign in to it: failures slow down the account from that
 * address (30 s after 5, doubling up to 15 minutes), and a client that signed in to the account
 * before (its device cookie) is slowed only by its own failures.
 */
export const SIGN_IN_RULES: SignInRules = {
  accountAtAddress: rule(5),
  account: rule(50),
  client: rule(20),
  session: rule(10),
  knownDevice: rule(10),
};

/** The desktop window has no address: it is the one client of its account on this computer. */
const THIS_COMPUTER = 'this computer';

const WHAT: Record<keyof SignInRules, string> = {
  accountAtAddress: 'for this email from this address',
  account: 'for this email',
  client: 'from this address',
  session: 'from this session',
  knownDevice: 'for this email from this device',
};

function waitText(ms: number): string {
  const seconds = Math.ceil(ms / SECOND);
  return seconds < 60 ? `${seconds} second(s)` : `${Math.ceil(seconds / 60)} minute(s)`;
}

export function createSignInLimits(rules: SignInRules = SIGN_IN_RULES) {
  const throttles = {
    account: createSignInThrottle(rules.account),
    client: createSignInThrottle(rules.client),
    session: createSignInThrottle(rules.session),
    knownDevice: createSignInThrottle(rules.knownDevice),
  };
  /** Per account, a throttle over the addresses it was tried from. */
  const byAccount = new Map<string, SignInThrottle>();

  function atAddress(account: string): SignInThrottle {
    let throttle = byAccount.get(account);
    if (!throttle) {
      // Accounts whose addresses are all forgiven go, so guesses at many emails do not pile up.
      if (byAccount.size > 10_000)
        for (const [key, old] of byAccount) if (old.isEmpty()) byAccount.delete(key);
      throttle = createSignInThrottle(rules.accountAtAddress);
      byAccount.set(account, throttle);
    }
    return throttle;
  }

  /** Every throttle this attempt counts against, with its key. */
  function counters(attempt: SignInAttempt): [keyof SignInRules, SignInThrottle, string][] {
    const account = attempt.email.toLowerCase();
    // Hashed, so the throttle's memory never holds a usable token.
    const session: [keyof SignInRules, SignInThrottle, string][] = attempt.sessionToken
      ? [['session', throttles.session, hashToken(attempt.sessionToken)]]
      : [];
    if (attempt.knownDeviceHash !== null)
      return [['knownDevice', throttles.knownDevice, attempt.knownDeviceHash], ...session];
    return [
      ['accountAtAddress', atAddress(account), attempt.clientAddress ?? THIS_COMPUTER],
      ['account', throttles.account, account],
      ...(attempt.clientAddress
        ? [['client', throttles.client, attempt.clientAddress] as [keyof SignInRules, SignInThrottle, string]]
        : []),
      ...session,
    ];
  }

  return {
    /** Throws RATE_LIMITED, naming the limit hit, before any password is checked. */
    check(attempt: SignInAttempt, now: number): void {
      for (const [kind, throttle, key] of counters(attempt)) {
        const wait = throttle.retryAfter(key, now);
        if (wait > 0) {
          throw new AppError(
            'RATE_LIMITED',
            `Too many failed sign-ins ${WHAT[kind]}. Try again in ${waitText(wait)}.`,
            { retryAfterSeconds: Math.ceil(wait / SECOND) },
          );
        }
      }
    },
    fail(attempt: SignInAttempt, now: number): void {
      for (const [, throttle, key] of counters(attempt)) throttle.fail(key, now);
    },
    /**
     * Only the account's own counts are forgiven: signing in to an account one holds must not
     * reset the address's or session's count of guesses at other accounts.
     */
    succeed(attempt: SignInAttempt): void {
      for (const [kind, throttle, key] of counters(attempt))
        if (kind !== 'client' && kind !== 'session') throttle.succeed(key);
    },
  };
}

export type SignInLimits = ReturnType<typeof createSignInLimits>;
