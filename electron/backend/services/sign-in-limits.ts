import { AppError } from '../../../shared/contract/envelope';
import { createSignInThrottle, DEFAULT_THROTTLE, type ThrottleRule } from './sign-in-throttle';
import { hashToken } from './token-secrets';

/** Who is trying to sign in, as far as the transport knows. */
export interface SignInAttempt {
  email: string;
  /** The client's IP address (HTTP); absent for the desktop window and the CLI. */
  clientAddress?: string;
  /** The session or API token the request already carries, if any. */
  sessionToken?: string | null;
}

export interface SignInRules {
  email: ThrottleRule;
  client: ThrottleRule;
  session: ThrottleRule;
}

const QUARTER_HOUR = 15 * 60_000;

/**
 * Per email the limit is tight, to protect one account. Per address it is looser, since an office
 * behind one NAT shares it, but it stops one machine from trying many accounts. Per session it
 * stops a signed-in caller (a browser tab, a script with a token) from guessing someone else's
 * password from inside the console.
 */
export const SIGN_IN_RULES: SignInRules = {
  email: DEFAULT_THROTTLE,
  client: { maxFailures: 20, windowMs: QUARTER_HOUR },
  session: { maxFailures: 10, windowMs: QUARTER_HOUR },
};

const WHAT: Record<keyof SignInRules, string> = {
  email: 'for this email',
  client: 'from this address',
  session: 'from this session',
};

export function createSignInLimits(rules: SignInRules = SIGN_IN_RULES) {
  const throttles = {
    email: createSignInThrottle(rules.email),
    client: createSignInThrottle(rules.client),
    session: createSignInThrottle(rules.session),
  };

  function keys(attempt: SignInAttempt): [keyof SignInRules, string][] {
    return [
      ['email', attempt.email.toLowerCase()],
      ...(attempt.clientAddress ? [['client', attempt.clientAddress] as [keyof SignInRules, string]] : []),
      // Hashed, so the throttle's memory never holds a usable token.
      ...(attempt.sessionToken
        ? [['session', hashToken(attempt.sessionToken)] as [keyof SignInRules, string]]
        : []),
    ];
  }

  return {
    /** Throws RATE_LIMITED, naming the tightest limit hit, before any password is checked. */
    check(attempt: SignInAttempt, now: number): void {
      for (const [kind, key] of keys(attempt)) {
        const wait = throttles[kind].retryAfter(key, now);
        if (wait > 0) {
          throw new AppError(
            'RATE_LIMITED',
            `Too many failed sign-ins ${WHAT[kind]}. Try again in ${Math.ceil(wait / 60_000)} minute(s).`,
            { retryAfterSeconds: Math.ceil(wait / 1000) },
          );
        }
      }
    },
    fail(attempt: SignInAttempt, now: number): void {
      for (const [kind, key] of keys(attempt)) throttles[kind].fail(key, now);
    },
    /**
     * Only the account's own count is forgiven: signing in to an account one holds must not
     * reset the address's or session's count of guesses at other accounts.
     */
    succeed(attempt: SignInAttempt): void {
      throttles.email.succeed(attempt.email.toLowerCase());
    },
  };
}

export type SignInLimits = ReturnType<typeof createSignInLimits>;
