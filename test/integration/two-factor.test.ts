import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallSession } from '../../electron/backend/router/handler';
import { hashToken } from '../../electron/backend/services/token-secrets';
import { codeAt } from '../fixtures/authenticator';
import { tablesOf } from '../fixtures/backend';
import { type BillingWorld, createOrg, openBillingWorld } from '../fixtures/billing';
import { PASSWORD, tokenSession } from '../fixtures/tenants';

const NOW = '2026-10-15T12:00:00.000Z';

describe('two-factor sign-in', () => {
  let world: BillingWorld;
  let secret: string;
  let recoveryCodes: string[];

  const signIn = (email: string, totp?: string, session: CallSession = tokenSession()) =>
    world.backend.router.call(
      'session.signIn',
      { email, password: PASSWORD, ...(totp ? { totp } : {}) },
      session,
    );

  beforeAll(async () => {
    world = openBillingWorld(NOW);
    const acme = await createOrg(world, 'Acme', '40.00');
    for (const email of ['ann@acme.test', 'bob@acme.test']) {
      await world.call('users.create', { email, name: email, role: 'user', password: PASSWORD });
      await world.call('members.put', { email, orgId: acme.id, role: 'member' });
    }
    await world.call('users.create', {
      email: 'ada@msp.test',
      name: 'Ada',
      role: 'admin',
      password: PASSWORD,
    });
  });

  afterAll(() => world.cleanup());

  it('enrols with a QR code and a typed code, and gives 10 recovery codes, none of it kept in clear', async () => {
    const session = tokenSession();
    await world.call('session.signIn', { email: 'ann@acme.test', password: PASSWORD }, session);
    const begun = await world.call('twoFactor.begin', {}, session);
    expect(begun.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(begun.otpauthUrl).toContain('otpauth://totp/Orgdeck:ann%40acme.test');
    secret = begun.secret;
    const wrong = await world.backend.router.call('twoFactor.confirm', { code: '000000' }, session);
    expect(wrong).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    ({ recoveryCodes } = await world.call('twoFactor.confirm', { code: codeAt(secret, NOW) }, session));
    expect(new Set(recoveryCodes).size).toBe(10);
    // 79 bits each, in groups a person reads back without mistaking one character for another.
    for (const recovery of recoveryCodes)
      expect(recovery).toMatch(/^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$/);
    expect(await world.call('twoFactor.status', {}, session)).toEqual({
      enrolled: true,
      recoveryCodesLeft: 10,
      required: false,
    });
    const db = world.backend.store.db;
    const everything = tablesOf(db)
      .map((table) => JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).all()))
      .join('\n');
    for (const secretText of [secret, ...recoveryCodes]) expect(everything).not.toContain(secretText);
  });

  it('asks an enrolled user for the code (details.needs = "totp"), refuses a wrong one, takes a recovery code once', async () => {
    expect(await signIn('ann@acme.test')).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', details: { needs: 'totp' } },
    });
    expect(await signIn('ann@acme.test', '123456')).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    world.clock.set('2026-10-15T12:00:40.000Z');
    expect(await signIn('ann@acme.test', codeAt(secret, '2026-10-15T12:00:40.000Z'))).toMatchObject({
      ok: true,
    });
    const recovery = recoveryCodes[0] as string;
    expect(await signIn('ann@acme.test', recovery.toUpperCase())).toMatchObject({ ok: true });
    expect(await signIn('ann@acme.test', recovery)).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    // Typed as read off paper: without dashes, or with spaces between the groups.
    const typed = recoveryCodes[1] as string;
    expect(await signIn('ann@acme.test', typed.replaceAll('-', ''))).toMatchObject({ ok: true });
    const spaced = recoveryCodes[2] as string;
    expect(await signIn('ann@acme.test', ` ${spaced.replaceAll('-', ' ')} `)).toMatchObject({ ok: true });
  });

  it('still takes a recovery code of ten characters given before codes grew, typed with or without its dash', async () => {
    const store = world.backend.store;
    const ann = store.users.byEmail('ann@acme.test');
    if (!ann) throw new Error('ann is missing');
    await store.call(async () =>
      store.transaction(() =>
        store.recoveryCodes.replace(ann.id, [hashToken('abcde-fghjk'), hashToken('mnpqr-stuvw')]),
      ),
    );
    expect(await signIn('ann@acme.test', 'ABCDE-FGHJK')).toMatchObject({ ok: true });
    expect(await signIn('ann@acme.test', 'mnpqrstuvw')).toMatchObject({ ok: true });
    expect(await signIn('ann@acme.test', 'mnpqr-stuvw')).toMatchObject({ ok: false });
  });

  it('asks an enrolled user for a code, besides the password, to create an API token; others the password only', async () => {
    const at = '2026-10-15T12:01:30.000Z';
    world.clock.set(at);
    const ann = tokenSession();
    await world.call(
      'session.signIn',
      { email: 'ann@acme.test', password: PASSWORD, totp: codeAt(secret, at) },
      ann,
    );
    const create = (extra: Record<string, string>) =>
      world.backend.router.call('tokens.create', { name: 'CI', password: PASSWORD, ...extra }, ann);
    expect(await create({})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { needs: 'totp', issues: [{ path: ['totpCode'] }] } },
    });
    expect(await create({ totpCode: '000000' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { issues: [{ path: ['totpCode'] }] } },
    });
    // The password is still asked for first: a code alone mints nothing.
    expect(
      await world.backend.router.call('tokens.create', { name: 'CI', totpCode: codeAt(secret, at) }, ann),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { issues: [{ path: ['password'] }] } },
    });
    expect((await world.call('tokens.list', {}, ann)).tokens).toEqual([]);
    // The code Ann signed in with is spent: the same code again proves nothing, the next one does.
    expect(await create({ totpCode: codeAt(secret, at) })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { issues: [{ path: ['totpCode'] }] } },
    });
    const next = '2026-10-15T12:02:00.000Z';
    world.clock.set(next);
    expect(await create({ totpCode: codeAt(secret, next) })).toMatchObject({ ok: true });
    expect((await world.call('tokens.list', {}, ann)).tokens.map((token) => token.name)).toEqual(['CI']);

    const bob = tokenSession();
    await world.call('session.signIn', { email: 'bob@acme.test', password: PASSWORD }, bob);
    expect(
      await world.backend.router.call('tokens.create', { name: 'CI', password: PASSWORD }, bob),
    ).toMatchObject({ ok: true });
  });

  it('takes an authenticator code once: the same code, or an earlier one, cannot sign in again while still valid', async () => {
    const at = '2026-10-15T12:05:00.000Z';
    world.clock.set(at);
    const signIn = (totp: string) =>
      world.backend.router.call(
        'session.signIn',
        { email: 'ann@acme.test', password: PASSWORD, totp },
        tokenSession(),
      );
    expect(await signIn(codeAt(secret, at))).toMatchObject({ ok: true });
    // Ten seconds on, the code is still within its 90 s of validity, and spent.
    world.clock.set('2026-10-15T12:05:10.000Z');
    expect(await signIn(codeAt(secret, at))).toMatchObject({
      ok: false,
      error: {
        code: 'UNAUTHENTICATED',
        message: 'That code was used already: enter the next one from your app.',
      },
    });
    // The code of the step before, still valid by the clock's slack, is older than the one used.
    expect(await signIn(codeAt(secret, '2026-10-15T12:04:45.000Z'))).toMatchObject({ ok: false });
    const next = '2026-10-15T12:05:30.000Z';
    world.clock.set(next);
    expect(await signIn(codeAt(secret, next))).toMatchObject({ ok: true });
  });

  it('counts a wrong password or code at token creation as a failed sign-in, slowing only that account', async () => {
    world.clock.set('2026-10-15T12:10:00.000Z');
    const bob = tokenSession();
    await world.call('session.signIn', { email: 'bob@acme.test', password: PASSWORD }, bob);
    const create = (password: string) =>
      world.backend.router.call('tokens.create', { name: 'Guess', password }, bob);
    for (let attempt = 0; attempt < 5; attempt++)
      expect(await create('not the password')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // The sixth try waits, the right password included, as a sixth failed sign-in would.
    expect(await create(PASSWORD)).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED', details: { retryAfterSeconds: 30 } },
    });
    expect(await signIn('bob@acme.test')).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(await signIn('ada@msp.test')).toMatchObject({ ok: true });
    world.clock.set('2026-10-15T12:10:31.000Z');
    expect(await create(PASSWORD)).toMatchObject({ ok: true });
  });

  it('throttles wrong codes like wrong passwords', async () => {
    let last: unknown;
    for (let attempt = 0; attempt < 12; attempt++) last = await signIn('ann@acme.test', '999999');
    expect(last).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });

  it('makes users without a second factor enrol first once an owner requires it; only an owner decides', async () => {
    const admin = tokenSession();
    await world.call('session.signIn', { email: 'ada@msp.test', password: PASSWORD }, admin);
    expect(
      await world.backend.router.call('settings.update', { requireTwoFactor: true }, admin),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await world.call('settings.update', { requireTwoFactor: true });
    const bob = tokenSession();
    const signedIn = await world.call('session.signIn', { email: 'bob@acme.test', password: PASSWORD }, bob);
    expect(signedIn.user.mustEnrolTwoFactor).toBe(true);
    expect(await world.backend.router.call('orgs.list', {}, bob)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { needs: 'totp_enrolment' } },
    });
    const begun = await world.call('twoFactor.begin', {}, bob);
    await world.call(
      'twoFactor.confirm',
      { code: codeAt(begun.secret, world.clock.now().toISOString()) },
      bob,
    );
    expect((await world.call('orgs.list', {}, bob)).map((org) => org.name)).toEqual(['Acme']);
  });

  it('lets an owner reset a user’s second factor, audited', async () => {
    await world.call('settings.update', { requireTwoFactor: false });
    const ann = (await world.call('users.list', { search: 'ann@' }))[0];
    await world.call('twoFactor.reset', { userId: ann?.id });
    expect(await signIn('bob@acme.test')).toMatchObject({ ok: false, error: { details: { needs: 'totp' } } });
    world.clock.set('2026-10-15T13:00:00.000Z');
    expect(await signIn('ann@acme.test')).toMatchObject({ ok: true });
    const trail = await world.call('audit.list', { action: 'user' });
    expect(trail.items.map((entry) => entry.action)).toContain('user.two_factor_reset');
  });
});
