import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSignInLimits,
  SIGN_IN_RULES,
  throttledAddress,
} from '../../electron/backend/services/sign-in-limits';
import { backoffDelay } from '../../electron/backend/services/sign-in-throttle';
import { localOwnerSession, newSession, OWNER, setUpOwner } from '../fixtures/backend';
import { runCliIn } from '../fixtures/cli';
import { type Answer, type ServedBackend, serveBackend } from '../fixtures/http-server';

// Issue #14, finding 10: five wrong passwords for an email locked it for 15 minutes, even with the
// right password, for everyone: anyone could lock out any account, the owner's included.
let served: ServedBackend;

beforeEach(async () => {
  served = await serveBackend();
  await setUpOwner(served.harness);
});
afterEach(() => served.stop());

const cookiePair = (answer: Answer, name: string) =>
  (answer.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`)) ?? '').split(';')[0] ?? '';

/** A sign-in over HTTP, from a browser that holds `cookie` (its device cookie) or none. */
function signIn(password: string, cookie?: string): Promise<Answer> {
  return served.post(
    'session.signIn',
    { email: OWNER.ownerEmail, password },
    cookie ? { Cookie: cookie } : {},
  );
}

/** A sign-in as the router sees one from `address` (fetch cannot choose its source address). */
const signInFrom = (address: string, password: string) =>
  served.harness.call(
    'session.signIn',
    { email: OWNER.ownerEmail, password },
    { ...newSession(), clientAddress: address },
  );

describe('account lockout', () => {
  it('a client that signed in before still signs in with the right password while others are slowed', async () => {
    const first = await signIn(OWNER.password);
    expect(first.status).toBe(200);
    const device = cookiePair(first, 'orgdeck_device');
    expect(device).toMatch(/^orgdeck_device=.{20,}/);
    expect(first.headers.getSetCookie().find((c) => c.startsWith('orgdeck_device='))).toMatch(
      /HttpOnly; SameSite=Strict/,
    );

    // The attack: wrong passwords for the owner's email from the same address, without the cookie.
    for (let attempt = 1; attempt <= 5; attempt++)
      expect((await signIn(`wrong ${attempt}`)).status).toBe(401);
    const attacker = await signIn(OWNER.password);
    expect(attacker.status).toBe(429);
    expect(attacker.body.error).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: 30 } });
    expect(attacker.headers.get('retry-after')).toBe('30');

    // The owner's browser is a known device: the right password gets in, at once.
    const owner = await signIn(OWNER.password, device);
    expect(owner.status, owner.text).toBe(200);
    // A forged device cookie is just no cookie.
    expect((await signIn(OWNER.password, 'orgdeck_device=forged-value-123456789')).status).toBe(429);
  });

  it('slows one address down with growing delays, and leaves other addresses alone', async () => {
    const attacker = '203.0.113.66';
    const waits: number[] = [];
    for (let round = 0; round < 9; round++) {
      let refusal = await signInFrom(attacker, 'wrong');
      while (refusal.ok === false && refusal.error.code === 'UNAUTHENTICATED')
        refusal = await signInFrom(attacker, 'wrong');
      expect(refusal).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
      const seconds = (refusal as { error: { details: { retryAfterSeconds: number } } }).error.details
        .retryAfterSeconds;
      waits.push(seconds);
      served.clock.advance(seconds * 1000);
    }
    expect(waits).toEqual([30, 60, 120, 240, 480, 900, 900, 900, 900]);
    // Meanwhile the owner, at another address and never signed in from it, is not slowed at all.
    expect(await signInFrom('198.51.100.7', OWNER.password)).toMatchObject({ ok: true });
  }, 60_000);

  it('slows a burst of guesses sent at once as it slows the same guesses sent one by one', async () => {
    // All at once: each is admitted before any password of the burst is hashed (~170 ms each).
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, guess) => signInFrom('203.0.113.66', `wrong ${guess}`)),
    );
    const codes = burst.map((answer) => (answer.ok ? 'signed in' : answer.error.code));
    expect(codes.filter((code) => code === 'UNAUTHENTICATED')).toHaveLength(
      SIGN_IN_RULES.accountAtAddress.freeFailures,
    );
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(
      12 - SIGN_IN_RULES.accountAtAddress.freeFailures,
    );
  });

  it('counts no sign-in that succeeds against its address, however many an office makes', async () => {
    const office = '198.51.100.20';
    for (let day = 0; day < SIGN_IN_RULES.client.freeFailures + 5; day++)
      expect(await signInFrom(office, OWNER.password)).toMatchObject({ ok: true });
    // Its free failures are all still there.
    for (let guess = 0; guess < SIGN_IN_RULES.accountAtAddress.freeFailures; guess++)
      expect(await signInFrom(office, 'wrong')).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHENTICATED' },
      });
  });

  it('never remembers as the account’s device a cookie it did not issue to it (another site can plant one)', async () => {
    const planted = 'orgdeck_device=planted-by-another-site-0123456789';
    const answer = await signIn(OWNER.password, planted);
    expect(answer.status).toBe(200);
    const issued = cookiePair(answer, 'orgdeck_device');
    expect(issued).toMatch(/^orgdeck_device=.{20,}/);
    expect(issued).not.toBe(planted);
    // Whoever holds the planted value is slowed like any client; the browser that signed in is not.
    for (let attempt = 1; attempt <= 5; attempt++)
      expect((await signIn(`wrong ${attempt}`)).status).toBe(401);
    expect((await signIn(OWNER.password, planted)).status).toBe(429);
    expect((await signIn(OWNER.password, issued)).status).toBe(200);
  });

  it('the CLI on the data directory is never locked out', async () => {
    for (let attempt = 1; attempt <= 8; attempt++) await signInFrom('203.0.113.66', 'wrong');
    for (let attempt = 1; attempt <= 8; attempt++) await signIn('wrong');
    const run = await runCliIn(served.harness.dataDir, ['user', 'list', '--json']);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain(OWNER.ownerEmail);
  });

  it('forgets a device once the password is reset', async () => {
    const device = cookiePair(await signIn(OWNER.password), 'orgdeck_device');
    const ownerId = served.harness.backend.store.users.byEmail(OWNER.ownerEmail)?.id;
    await served.harness.data(
      'users.resetPassword',
      { id: ownerId, password: 'another long passphrase' },
      localOwnerSession(),
    );
    for (let attempt = 1; attempt <= 5; attempt++) await signIn('wrong');
    expect((await signIn('another long passphrase', device)).status).toBe(429);
  });
});

describe('an attempt counted before its password was checked, then taken back', () => {
  const attempt = { email: OWNER.ownerEmail, clientAddress: '198.51.100.30', knownDeviceHash: null };
  const at = (seconds: number) => Date.parse('2026-10-15T13:00:00.000Z') + seconds * 1000;

  it('leaves the wait as it was: a right password still asking for its code does not restart it', () => {
    const limits = createSignInLimits(served.harness.backend.store);
    // Five failures at 13:00: the sixth attempt waits 30 s from the fifth.
    for (let failure = 0; failure < 5; failure++) limits.admit(attempt, at(0));
    expect(() => limits.admit(attempt, at(10))).toThrow(/Try again in 20 second/);
    // A minute later the password is right and the code still to come: taken back.
    limits.passwordRight(limits.admit(attempt, at(60)));
    // The code follows at once: the wait still counts from 13:00, and is over.
    expect(() => limits.succeed(limits.admit(attempt, at(61)))).not.toThrow();
  });

  it('leaves an address’s count where it was, and its failures to be forgotten, however many sign in from it', () => {
    const limits = createSignInLimits(served.harness.backend.store);
    // Guesses at other accounts from the address, up to its free failures.
    for (let failure = 0; failure < SIGN_IN_RULES.client.freeFailures; failure++)
      limits.admit({ ...attempt, email: `guess-${failure}@example.com` }, at(0));
    // An office's sign-ins ten seconds apart: none of them restarts the address's 30 s wait.
    for (let signIn = 6; signIn <= 10; signIn++) limits.succeed(limits.admit(attempt, at(10 * signIn)));
    const address = served.harness.backend.store.signInFailures.count({
      kind: 'client',
      key: attempt.clientAddress,
      address: '',
    });
    expect(address).toEqual({
      failures: SIGN_IN_RULES.client.freeFailures,
      last_failed_at: new Date(at(0)).toISOString(),
    });
  });
});

describe('client addresses', () => {
  it('counts an IPv6 client by its /64, so a host with many addresses is slowed as one', () => {
    const limits = createSignInLimits(served.harness.backend.store);
    const at = Date.parse('2026-10-15T13:00:00.000Z');
    const from = (host: number) => ({
      email: OWNER.ownerEmail,
      clientAddress: `2001:db8:1:2::${host.toString(16)}`,
      knownDeviceHash: null,
    });
    for (let host = 1; host <= 5; host++) limits.admit(from(host), at);
    expect(() => limits.admit(from(6), at + 1000)).toThrow(/Try again in/);
    // Another /64 is another client.
    expect(() => limits.admit({ ...from(1), clientAddress: '2001:db8:1:3::1' }, at + 1000)).not.toThrow();
    expect(throttledAddress('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(throttledAddress('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(throttledAddress('198.51.100.7')).toBe('198.51.100.7');
    expect(throttledAddress('::1')).toBe('0:0:0:0::/64');
  });
});

describe('the delays', () => {
  it('start after the free failures and double up to 15 minutes', () => {
    const rule = SIGN_IN_RULES.accountAtAddress;
    const delays = [4, 5, 6, 7, 8, 9, 10, 50].map((count) => backoffDelay(rule, count) / 1000);
    expect(delays).toEqual([0, 30, 60, 120, 240, 480, 900, 900]);
  });
});
