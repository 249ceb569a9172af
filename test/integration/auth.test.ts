import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../electron/backend/services/passwords';
import { connectPostgresClient } from '../../electron/backend/store/postgres/connection';
import { countLockKey, LOCK_COUNT } from '../../electron/backend/store/repos/sign-in-failures-repo';
import {
  FakeClock,
  newSession,
  OWNER,
  onPostgresProject,
  openTestBackend,
  setUpOwner,
  type TestBackend,
} from '../fixtures/backend';
import { onceWaitedOn } from '../fixtures/postgres-lock-waits';

const HOUR = 3_600_000;

let harness: TestBackend;

afterEach(() => harness.cleanup());

const signIn = (password: string, email: string = OWNER.ownerEmail, session = newSession()) =>
  harness.call('session.signIn', { email, password }, session);

const withToken = (token: string | null) => ({ ...newSession(), token });

describe('setup.init', () => {
  it('creates the owner and the "Platform" owner org, and signs the owner in', async () => {
    harness = openTestBackend();
    const session = newSession();
    const envelope = await harness.call('setup.init', { ...OWNER, ownerEmail: 'Owner@Example.com' }, session);
    expect(envelope).toMatchObject({
      ok: true,
      data: { user: { email: 'owner@example.com', name: OWNER.ownerName, role: 'owner', boundOrgId: null } },
    });
    expect(session.token).toEqual(expect.any(String));
    expect(JSON.stringify(envelope)).not.toContain(session.token);

    const orgs = await harness.data('orgs.list', {}, session);
    expect(orgs).toMatchObject([{ name: 'Platform', slug: 'platform', isOwner: true }]);
    await expect(harness.data('session.current', {})).resolves.toMatchObject({ needsSetup: false });
  });

  it('names the owner org as asked', async () => {
    harness = openTestBackend();
    const session = await setUpOwner(harness, { orgName: 'Northwind MSP' });
    const orgs = await harness.data('orgs.list', {}, session);
    expect(orgs).toMatchObject([{ name: 'Northwind MSP', slug: 'northwind-msp', isOwner: true }]);
  });

  it('refuses a second setup with CONFLICT and changes nothing', async () => {
    harness = openTestBackend();
    const owner = await setUpOwner(harness);
    const before = await harness.data('orgs.list', {}, owner);

    const intruder = newSession();
    const second = await harness.call(
      'setup.init',
      {
        ownerEmail: 'mallory@example.com',
        ownerName: 'Mallory',
        password: 'mallory owns this now',
        orgName: 'Evil',
      },
      intruder,
    );
    expect(second).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(intruder.token).toBeNull();
    expect(await harness.data('orgs.list', {}, owner)).toEqual(before);
    expect(harness.backend.store.users.byEmail('mallory@example.com')).toBeUndefined();
    await expect(signIn('mallory owns this now', 'mallory@example.com')).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });
});

describe('session.signIn', () => {
  it('signs in with the right password and refuses a wrong one or an unknown email alike', async () => {
    harness = openTestBackend();
    await setUpOwner(harness);

    const wrong = await signIn('not the password');
    expect(wrong).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const unknown = await signIn(OWNER.password, 'nobody@example.com');
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    if (!wrong.ok && !unknown.ok) expect(unknown.error.message).toBe(wrong.error.message);

    const session = newSession();
    await expect(signIn(OWNER.password, 'OWNER@example.com', session)).resolves.toMatchObject({
      ok: true,
      data: { user: { email: OWNER.ownerEmail } },
    });
    expect(session.token).toEqual(expect.any(String));
  });

  it('takes an email in any case as the same account, on either engine', async () => {
    harness = openTestBackend();
    const owner = await setUpOwner(harness);
    const create = (email: string) =>
      harness.call('users.create', { email, name: 'Alice', role: 'user', password: OWNER.password }, owner);
    expect(await create('Alice@Example.com')).toMatchObject({
      ok: true,
      data: { email: 'alice@example.com' },
    });
    expect(await create('ALICE@example.COM')).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('already exists') },
    });
    await expect(signIn(OWNER.password, 'aLiCe@example.com')).resolves.toMatchObject({
      ok: true,
      data: { user: { email: 'alice@example.com' } },
    });
  });

  // The reset is written straight into the store while the sign-in's password hashes: on SQLite a
  // call holds no transaction across that wait, so the write lands exactly in it.
  it.skipIf(onPostgresProject())(
    'starts no session on a password a reset replaced while the sign-in checked it',
    async () => {
      harness = openTestBackend();
      const owner = await setUpOwner(harness);
      const old = 'the old passphrase';
      const alice = await harness.data(
        'users.create',
        { email: 'alice@example.com', name: 'Alice', role: 'admin', password: old },
        owner,
      );
      const replaced = await hashPassword('the new passphrase');
      const session = newSession();
      const signingIn = signIn(old, 'alice@example.com', session);
      const store = harness.backend.store;
      const row = store.users.byId(alice.id);
      if (!row) throw new Error('no such user');
      store.users.update({ ...row, password_hash: replaced });
      await expect(signingIn).resolves.toMatchObject({
        ok: false,
        error: { code: 'UNAUTHENTICATED', message: 'The email or password is not right.' },
      });
      expect(session.token).toBeNull();
      const signedIn = newSession();
      await expect(signIn('the new passphrase', 'alice@example.com', signedIn)).resolves.toMatchObject({
        ok: true,
      });

      // A token asked for on the password a reset replaces meanwhile is not minted either.
      const third = await hashPassword('a third passphrase');
      const minting = harness.call(
        'tokens.create',
        { name: 'script', expiresInDays: 30, password: 'the new passphrase' },
        signedIn,
      );
      store.users.update({ ...(store.users.byId(alice.id) ?? row), password_hash: third });
      await expect(minting).resolves.toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'Your password was changed meanwhile: sign in again.' },
      });
      expect(store.apiTokens.forUser(alice.id)).toEqual([]);
    },
  );

  it('refuses a user whose only org was deleted, saying so, and lets them in once it is restored', async () => {
    harness = openTestBackend();
    const owner = await setUpOwner(harness);
    const org = await harness.data('orgs.create', { name: 'Gone Soon' }, owner);
    const password = 'a member passphrase';
    await harness.data(
      'users.create',
      {
        email: 'member@example.com',
        name: 'Member',
        role: 'user',
        boundOrgId: org.id,
        pages: ['agents'],
        password,
      },
      owner,
    );
    await harness.data('orgs.delete', { id: org.id, confirmName: 'Gone Soon' }, owner);
    await expect(signIn(password, 'member@example.com')).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: 'Your organization has been deleted.' },
    });
    await harness.data('orgs.restore', { id: org.id }, owner);
    await expect(signIn(password, 'member@example.com')).resolves.toMatchObject({ ok: true });
  });

  it('keeps a refused sign-in in the audit trail', async () => {
    harness = openTestBackend();
    const owner = await setUpOwner(harness);
    await signIn('not the password');
    const trail = await harness.data('audit.list', { action: 'session.sign_in_failed' }, owner);
    expect(trail.items.map((entry) => [entry.action, entry.summary])).toEqual([
      ['session.sign_in_failed', { after: { reason: 'wrong email or password' } }],
    ]);
  });

  it('stores only a scrypt hash of the password', async () => {
    harness = openTestBackend();
    await setUpOwner(harness);
    const hash = harness.backend.store.users.byEmail(OWNER.ownerEmail)?.password_hash ?? '';
    expect(hash.startsWith('scrypt$')).toBe(true);
    expect(hash).not.toContain(OWNER.password);
    expect(hash).not.toContain(Buffer.from(OWNER.password).toString('base64'));
  });

  it('rate-limits after 5 failures, even the right password, until the window has passed', async () => {
    const clock = new FakeClock();
    harness = openTestBackend({ clock });
    await setUpOwner(harness);

    for (let attempt = 1; attempt <= 5; attempt++) {
      await expect(signIn(`wrong guess ${attempt}`)).resolves.toMatchObject({
        ok: false,
        error: { code: 'UNAUTHENTICATED' },
      });
    }
    const sixth = await signIn(OWNER.password);
    expect(sixth).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    if (sixth.ok) return;
    const { retryAfterSeconds } = sixth.error.details as { retryAfterSeconds: number };
    expect(Number.isInteger(retryAfterSeconds)).toBe(true);
    expect(retryAfterSeconds).toBeGreaterThan(0);
    expect(retryAfterSeconds).toBeLessThanOrEqual(15 * 60);

    // Other accounts are not locked out by someone guessing this one.
    await expect(signIn(OWNER.password, 'other@example.com')).resolves.toMatchObject({
      error: { code: 'UNAUTHENTICATED' },
    });

    clock.advance(retryAfterSeconds * 1000);
    await expect(signIn(OWNER.password)).resolves.toMatchObject({ ok: true });
  });

  // Servers sharing a PostgreSQL database: the limit holds for an attempt another server counts
  // while this one checks. On SQLite one writer orders them.
  it.skipIf(!onPostgresProject())(
    'counts a failure another server is committing before letting the right password past the limit',
    async () => {
      const clock = new FakeClock();
      harness = openTestBackend({ clock });
      await setUpOwner(harness);
      for (let attempt = 1; attempt <= 4; attempt++)
        await expect(signIn(`wrong guess ${attempt}`)).resolves.toMatchObject({ ok: false });
      // The fifth wrong guess, on another server: its counts locked and counted, not yet committed;
      // it commits once this server's check waits for it.
      const other = await connectPostgresClient(harness.backend.store.postgres?.url as string);
      try {
        await other.query('BEGIN');
        const counted = {
          kind: 'accountAtAddress',
          key: OWNER.ownerEmail,
          address: 'this computer',
        } as const;
        await other.query(LOCK_COUNT.replace(':key', '$1'), [countLockKey(counted)]);
        await other.query(
          `UPDATE sign_in_failures SET failures = failures + 1, last_failed_at = $1
           WHERE kind = 'accountAtAddress' AND key = $2`,
          [clock.now().toISOString(), OWNER.ownerEmail],
        );
        const committed = other.query(`${onceWaitedOn()} COMMIT`);
        // Checked against the four committed before, the right password would have signed in.
        await expect(signIn(OWNER.password)).resolves.toMatchObject({
          ok: false,
          error: { code: 'RATE_LIMITED' },
        });
        await committed;
      } finally {
        await other.end();
      }
    },
  );

  it.skipIf(!onPostgresProject())(
    'sweeps forgotten failures beside another server sweeping, neither sign-in cancelled',
    async () => {
      const clock = new FakeClock();
      harness = openTestBackend({ clock });
      await setUpOwner(harness);
      // Two days old, so forgotten: the owner's failures, and someone else's.
      const old = new Date(clock.now().getTime() - 2 * 86_400_000).toISOString();
      const other = await connectPostgresClient(harness.backend.store.postgres?.url as string);
      try {
        await other.query(
          `INSERT INTO sign_in_failures (kind, key, address, failures, last_failed_at)
           VALUES ('accountAtAddress', $1, 'this computer', 3, $3), ('accountAtAddress', $2, 'this computer', 3, $3)`,
          [OWNER.ownerEmail, 'someone@example.com', old],
        );
        // Another server's attempt at someone's account: its count locked, the forgotten ones of
        // its kind swept (the owner's among them, not locked by anyone then), and its own counted
        // once this server's attempt waits for it.
        const someone = {
          kind: 'accountAtAddress',
          key: 'someone@example.com',
          address: 'this computer',
        } as const;
        await other.query('BEGIN');
        await other.query(LOCK_COUNT.replace(':key', '$1'), [countLockKey(someone)]);
        await other.query('DELETE FROM sign_in_failures WHERE key = $1', [OWNER.ownerEmail]);
        const swept = other.query(
          `${onceWaitedOn()} UPDATE sign_in_failures SET failures = 1, last_failed_at = '${clock.now().toISOString()}'
           WHERE key = 'someone@example.com'; COMMIT`,
        );
        // Had this one swept someone's count, locked by the other, each would wait for the other
        // and the database would cancel one (a deadlock).
        await expect(signIn('wrong guess')).resolves.toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
        await expect(swept).resolves.toBeDefined();
      } finally {
        await other.end();
      }
    },
  );
});

describe('sessions', () => {
  it('session.current answers the signed-in user, and no user without a token', async () => {
    harness = openTestBackend();
    const session = await setUpOwner(harness);
    await expect(harness.data('session.current', {}, session)).resolves.toMatchObject({
      user: { email: OWNER.ownerEmail, role: 'owner' },
      needsSetup: false,
    });
    await expect(harness.data('session.current', {})).resolves.toEqual({
      user: null,
      needsSetup: false,
      setupCodeRequired: false,
    });
  });

  it('signOut clears the token and the old token no longer works', async () => {
    harness = openTestBackend();
    const session = await setUpOwner(harness);
    const token = session.token;
    await expect(harness.data('session.signOut', {}, session)).resolves.toEqual({ signedOut: true });
    expect(session.token).toBeNull();
    await expect(harness.call('orgs.list', {}, withToken(token))).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    await expect(harness.data('session.current', {}, withToken(token))).resolves.toMatchObject({
      user: null,
    });
  });

  it('expires a session after 8 hours', async () => {
    const clock = new FakeClock();
    harness = openTestBackend({ clock });
    const session = await setUpOwner(harness);

    clock.advance(8 * HOUR - 1000);
    await expect(harness.call('orgs.list', {}, session)).resolves.toMatchObject({ ok: true });
    clock.advance(1000);
    await expect(harness.call('orgs.list', {}, session)).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    await expect(harness.data('session.current', {}, session)).resolves.toMatchObject({ user: null });
  });

  it('ends a session open longer than a timeout the owner lowered, as it ends a new one', async () => {
    const clock = new FakeClock();
    harness = openTestBackend({ clock });
    const session = await setUpOwner(harness);
    await harness.data('settings.update', { sessionTimeoutHours: 24 }, session);
    const longer = newSession();
    await harness.data('session.signIn', { email: OWNER.ownerEmail, password: OWNER.password }, longer);

    clock.advance(3 * HOUR);
    await harness.data('settings.update', { sessionTimeoutHours: 2 }, longer);
    // Signed in three hours ago under a 24-hour timeout, it ends now that the timeout is 2 hours.
    await expect(harness.call('orgs.list', {}, longer)).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    // For good: the timeout raised again (by anyone) brings it back no more than a sign-out would.
    const now = newSession();
    await harness.data('session.signIn', { email: OWNER.ownerEmail, password: OWNER.password }, now);
    await harness.data('settings.update', { sessionTimeoutHours: 24 }, now);
    await expect(harness.call('orgs.list', {}, longer)).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });

  it('keeps sessions across a restart of the backend', async () => {
    harness = openTestBackend();
    const session = await setUpOwner(harness);
    harness.reopen();
    await expect(harness.call('orgs.list', {}, session)).resolves.toMatchObject({ ok: true });
  });
});
