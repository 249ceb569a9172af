import { isIPv6 } from 'node:net';
import { AppError } from '../../../shared/contract/envelope';
import { plural } from '../../../shared/domain/counts';
import { DAY_MS } from '../../../shared/domain/days';
import type { FailureKey, SignInLimitKind } from '../store/repos/sign-in-failures-repo';
import type { Store } from '../store/store';
import { type BackoffRule, retryAfter } from './sign-in-throttle';
import { hashToken } from './token-secrets';

/** An attempt counted as a failure until it proves right (SignInLimits.admit). */
export interface AdmittedAttempt {
  attempt: SignInAttempt;
  /** When it was counted. */
  at: string;
  /** Per counter of the attempt, in order: its last failure before this one (null: none). */
  before: (string | null)[];
}

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

export interface SignInRules extends Record<SignInLimitKind, BackoffRule> {
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
  return seconds < 60 ? plural(seconds, 'second') : plural(Math.ceil(seconds / 60), 'minute');
}

/**
 * A client address as the throttles count it: an IPv4 address as it is (an IPv4-mapped IPv6 one
 * too), an IPv6 address by its /64, which one host or home is usually given whole: counted per
 * address, it would be 2^64 fresh addresses to guess from.
 */
export function throttledAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1] as string;
  const bare = address.split('%')[0] as string;
  if (!isIPv6(bare)) return address;
  const [head = '', tail] = bare.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

/**
 * The limits, counted in the store: servers sharing a database count every failure together, so
 * guesses spread over them are slowed as if they went to one.
 */
export function createSignInLimits(store: Store, rules: SignInRules = SIGN_IN_RULES) {
  /** Every count this attempt goes against. */
  function counters(attempt: SignInAttempt): FailureKey[] {
    const account = attempt.email.toLowerCase();
    // Hashed, so the store never holds a usable token.
    const session: FailureKey[] = attempt.sessionToken
      ? [{ kind: 'session', key: hashToken(attempt.sessionToken), address: '' }]
      : [];
    if (attempt.knownDeviceHash !== null)
      return [{ kind: 'knownDevice', key: attempt.knownDeviceHash, address: '' }, ...session];
    const client = attempt.clientAddress && throttledAddress(attempt.clientAddress);
    return [
      { kind: 'accountAtAddress', key: account, address: client || THIS_COMPUTER },
      { kind: 'account', key: account, address: '' },
      ...(client ? [{ kind: 'client', key: client, address: '' } satisfies FailureKey] : []),
      ...session,
    ];
  }

  /** The moment before which a limit's failures are forgotten. */
  const forgotten = (kind: SignInLimitKind, now: number) =>
    new Date(now - rules[kind].forgetAfterMs).toISOString();

  /**
   * Throws RATE_LIMITED, naming the limit hit, before any password is checked; else each counter's
   * last failure so far (null: none counted).
   */
  function check(attempt: SignInAttempt, now: number): (string | null)[] {
    return counters(attempt).map((counter) => {
      const counted = store.signInFailures.count(counter);
      if (!counted) return null;
      const wait = retryAfter(rules[counter.kind], counted.failures, Date.parse(counted.last_failed_at), now);
      if (wait > 0) {
        throw new AppError(
          'RATE_LIMITED',
          `Too many failed sign-ins ${WHAT[counter.kind]}. Try again in ${waitText(wait)}.`,
          { retryAfterSeconds: Math.ceil(wait / SECOND) },
        );
      }
      return counted.last_failed_at;
    });
  }

  function fail(attempt: SignInAttempt, at: string, now: number): void {
    for (const counter of counters(attempt)) {
      store.signInFailures.sweep(counter.kind, forgotten(counter.kind, now));
      store.signInFailures.fail(counter, at, forgotten(counter.kind, now));
    }
  }

  /** Takes the admitted attempt back from the counters `which` picks (every one by default). */
  function takeBack({ attempt, at, before }: AdmittedAttempt, which = (_: FailureKey) => true): void {
    counters(attempt).forEach((counter, i) => {
      // A counter with no failure before has its row removed with this one: `before` is not read then.
      if (which(counter)) store.signInFailures.takeBack(counter, at, before[i] ?? at);
    });
  }

  return {
    /**
     * Checks the limits (throwing RATE_LIMITED) and counts the attempt as a failure, in one write,
     * before its password is checked. Checked alone, every attempt of a burst sent at once passed
     * while the first was still hashing its password (~170 ms), and none was slowed; counted at
     * once, each sees those before it. What the attempt turns out to be settles the count: a
     * failure leaves it, `succeed` and `passwordRight` take it back.
     */
    admit(attempt: SignInAttempt, now: number): AdmittedAttempt {
      const at = new Date(now).toISOString();
      return store.transaction(() => {
        store.signInFailures.lock(counters(attempt));
        const before = check(attempt, now);
        fail(attempt, at, now);
        return { attempt, at, before };
      });
    },
    /**
     * The password was right and a second factor is still to come: the attempt is no failure (yet).
     */
    passwordRight(admitted: AdmittedAttempt): void {
      store.transaction(() => {
        store.signInFailures.lock(counters(admitted.attempt));
        takeBack(admitted);
      });
    },
    /**
     * Signed in: the account's own counts are forgiven, and the address's and session's lose this
     * attempt only: signing in to an account one holds must not reset their count of guesses at
     * other accounts.
     */
    succeed(admitted: AdmittedAttempt): void {
      const shared = (counter: FailureKey) => counter.kind === 'client' || counter.kind === 'session';
      store.transaction(() => {
        store.signInFailures.lock(counters(admitted.attempt));
        takeBack(admitted, shared);
        for (const counter of counters(admitted.attempt))
          if (!shared(counter)) store.signInFailures.forgive(counter);
      });
    },
  };
}

export type SignInLimits = ReturnType<typeof createSignInLimits>;
