import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OWNER, setUpOwner, type TestSession } from '../fixtures/backend';
import { runCliIn } from '../fixtures/cli';
import {
  type Answer,
  bearer,
  type ServedBackend,
  serveBackend,
  sessionTokenOf,
} from '../fixtures/http-server';

// Issue #14, finding 4: after users.resetPassword on alice her session got 401 but her API token
// kept working; session.signOut with the token answered 200 and the token still worked.
const ALICE = { email: 'alice@example.com', password: 'alice first passphrase' };
const DAY_MS = 86_400_000;

let served: ServedBackend;
let owner: TestSession;
let aliceId: string;

beforeEach(async () => {
  served = await serveBackend();
  owner = await setUpOwner(served.harness);
  const org = await served.harness.data('orgs.create', { name: 'Org A' }, owner);
  aliceId = (
    await served.harness.data(
      'users.create',
      { ...ALICE, name: 'Alice', role: 'user', boundOrgId: org.id, pages: ['agents'] },
      owner,
    )
  ).id;
});
afterEach(() => served.stop());

async function signIn(email = ALICE.email, password = ALICE.password): Promise<string> {
  const answer = await served.post('session.signIn', { email, password });
  expect(answer.status, answer.text).toBe(200);
  return sessionTokenOf(answer);
}

async function aliceToken(session: string, days = 90): Promise<string> {
  const answer = await served.post(
    'tokens.create',
    { name: 'Script', expiresInDays: days, password: ALICE.password },
    bearer(session),
  );
  expect(answer.status, answer.text).toBe(200);
  return (answer.body.data as { secret: string }).secret;
}

const works = async (credential: string) =>
  (await served.post('session.current', {}, bearer(credential))).body.data as { user: unknown };
const statusWith = async (credential: string) =>
  (await served.post('agents.list', {}, bearer(credential))).status;
const tokenCount = () =>
  (served.harness.backend.store.db.prepare('SELECT count(*) AS n FROM api_tokens').get() as { n: number }).n;

function expectRefused(answer: Answer, status: number, code: string, field?: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.body.error?.code).toBe(code);
  if (field) expect(answer.body.error?.details).toMatchObject({ issues: [{ path: [field] }] });
}

describe('a promotion ends the tokens made for the role before', () => {
  it('revokes a token an admin made for another admin once that one becomes the owner', async () => {
    const ADMIN = { email: 'ada@example.com', password: 'ada admin passphrase' };
    const NEXT = { email: 'ned@example.com', password: 'ned admin passphrase' };
    await served.harness.data('users.create', { ...ADMIN, name: 'Ada', role: 'admin' }, owner);
    const ned = await served.harness.data('users.create', { ...NEXT, name: 'Ned', role: 'admin' }, owner);
    // Ada mints a token for Ned (admins may, for anyone but an owner) and keeps it.
    const ada = await signIn(ADMIN.email, ADMIN.password);
    const minted = await served.post(
      'tokens.create',
      { name: 'Ned script', userId: ned.id, expiresInDays: 30, password: ADMIN.password },
      bearer(ada),
    );
    expect(minted.status, minted.text).toBe(200);
    const token = (minted.body.data as { secret: string }).secret;
    expect(await statusWith(token)).toBe(200);

    const ownerNow = await signIn(OWNER.ownerEmail, OWNER.password);
    const handed = await served.post('ownership.transfer', { userId: ned.id }, bearer(ownerNow));
    expect(handed.status, handed.text).toBe(200);
    // The token would act as the owner now: it acts as nothing, and the trail says so.
    expect(await statusWith(token)).toBe(401);
    const trail = await served.harness.data('audit.list', { action: 'ownership', pageSize: 1 }, owner);
    expect(trail.items[0]?.summary).toMatchObject({ after: { owner: NEXT.email, tokensRevoked: 1 } });
    // Ned's own sign-ins go on, as the owner.
    const nedSession = await signIn(NEXT.email, NEXT.password);
    expect(await works(nedSession)).toMatchObject({ user: { email: NEXT.email, role: 'owner' } });
  });

  it('revokes a user’s tokens when they become an admin, and leaves a demoted one’s', async () => {
    const session = await signIn();
    const token = await aliceToken(session);
    await served.harness.data('users.update', { id: aliceId, role: 'admin' }, owner);
    expect(await statusWith(token)).toBe(401);
    const promoted = await served.harness.data(
      'audit.list',
      { action: 'user.role_changed', pageSize: 1 },
      owner,
    );
    expect(promoted.items[0]?.summary).toMatchObject({ after: { role: 'admin', tokensRevoked: 1 } });
    const fresh = await aliceToken(await signIn());
    await served.harness.data('users.update', { id: aliceId, role: 'billing_admin' }, owner);
    expect((await served.post('session.current', {}, bearer(fresh))).status).toBe(200);
  });
});

describe('a password reset ends every credential', () => {
  it('revokes the user’s API tokens along with the sessions', async () => {
    const session = await signIn();
    const token = await aliceToken(session);
    expect(await statusWith(token)).toBe(200);
    await served.harness.data(
      'users.resetPassword',
      { id: aliceId, password: 'a brand new passphrase' },
      owner,
    );
    expect(await statusWith(session)).toBe(401);
    expect(await statusWith(token)).toBe(401);
    const listed = await served.harness.data('tokens.list', { userId: aliceId }, owner);
    expect(listed.tokens.map((t) => t.status)).toEqual(['revoked']);
  });
});

describe('session.signOut with an API token', () => {
  it('revokes that token, and only that one', async () => {
    const session = await signIn();
    const token = await aliceToken(session);
    const other = await aliceToken(session);
    const answer = await served.post('session.signOut', {}, bearer(token));
    expect(answer.body).toEqual({ ok: true, data: { signedOut: true } });
    expect(await statusWith(token)).toBe(401);
    expect(await statusWith(other)).toBe(200);
    expect(await statusWith(session)).toBe(200);
  });
});

describe('sign out everywhere', () => {
  it('ends every session and token of the caller, this session included', async () => {
    const [one, two] = [await signIn(), await signIn()];
    const token = await aliceToken(one);
    const answer = await served.post('session.signOutEverywhere', {}, bearer(two));
    expect(answer.body).toEqual({ ok: true, data: { sessionsEnded: 2, tokensRevoked: 1 } });
    // The caller's cookie is cleared too.
    expect(answer.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    for (const credential of [one, two, token]) expect(await statusWith(credential)).toBe(401);
    expect(await signIn()).toBeTruthy();
  });

  it('lets an owner sign a user out everywhere, but a user cannot do it to another', async () => {
    const session = await signIn();
    const token = await aliceToken(session);
    const ownerSession = await signIn(OWNER.ownerEmail, OWNER.password);
    const ownerId = (await served.harness.data('session.current', {}, owner)).user?.id;
    expectRefused(
      await served.post('session.signOutEverywhere', { userId: ownerId }, bearer(session)),
      403,
      'FORBIDDEN',
    );
    expect(await statusWith(ownerSession)).toBe(200);
    const answer = await served.post('session.signOutEverywhere', { userId: aliceId }, bearer(ownerSession));
    expect(answer.body).toEqual({ ok: true, data: { sessionsEnded: 1, tokensRevoked: 1 } });
    expect(await statusWith(session)).toBe(401);
    expect(await statusWith(token)).toBe(401);
    expect(await statusWith(ownerSession)).toBe(200);
  });

  it('is in the CLI as user sign-out-everywhere, and audited', async () => {
    const session = await signIn();
    const token = await aliceToken(session);
    const run = await runCliIn(served.harness.dataDir, ['user', 'sign-out-everywhere', ALICE.email]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('1 session ended, 1 API token revoked');
    expect(await statusWith(token)).toBe(401);
    const trail = await served.harness.data('audit.list', { action: 'user.signed_out_everywhere' }, owner);
    expect(trail.items).toHaveLength(1);
  });
});

describe('creating a token asks for the password again', () => {
  it('refuses without it, or with a wrong one, and mints nothing', async () => {
    const session = await signIn();
    const before = tokenCount();
    for (const password of [undefined, '', 'not her password']) {
      expectRefused(
        await served.post('tokens.create', { name: 'Stolen session', password }, bearer(session)),
        403,
        'FORBIDDEN',
        'password',
      );
    }
    expect(tokenCount()).toBe(before);
    // Her session stays: a wrong password here is no sign-out.
    expect(await statusWith(session)).toBe(200);
  });

  it('does not take the password of the user the token is for, only the caller’s', async () => {
    const ownerSession = await signIn(OWNER.ownerEmail, OWNER.password);
    const answer = await served.post(
      'tokens.create',
      { name: 'For Alice', userId: aliceId, password: ALICE.password },
      bearer(ownerSession),
    );
    expectRefused(answer, 403, 'FORBIDDEN', 'password');
  });
});

describe('the owner caps token lifetime', () => {
  it('refuses longer tokens at creation, and ends older ones at use once past the cap', async () => {
    const session = await signIn();
    const longLived = await aliceToken(session, 365);
    await served.harness.data('settings.update', { apiTokenMaxDays: 30 }, owner);
    expectRefused(
      await served.post(
        'tokens.create',
        { name: 'Too long', expiresInDays: 90, password: ALICE.password },
        bearer(session),
      ),
      400,
      'VALIDATION',
      'expiresInDays',
    );
    const listed = (await served.post('tokens.list', {}, bearer(session))).body.data as {
      maxExpiresInDays: number;
      tokens: { expiresAt: string; status: string }[];
    };
    expect(listed.maxExpiresInDays).toBe(30);
    expect(listed.tokens[0]?.expiresAt).toBe(
      new Date(served.clock.now().getTime() + 30 * DAY_MS).toISOString(),
    );
    expect(await statusWith(longLived)).toBe(200);
    served.clock.advance(30 * DAY_MS);
    expect(await statusWith(longLived)).toBe(401);
    // For good: the cap raised again does not bring back a token it ended.
    const ownerNow = await signIn(OWNER.ownerEmail, OWNER.password);
    expect((await served.post('settings.update', { apiTokenMaxDays: 365 }, bearer(ownerNow))).status).toBe(
      200,
    );
    expect(await statusWith(longLived)).toBe(401);
    const session2 = await signIn();
    const after = (await served.post('tokens.list', {}, bearer(session2))).body.data as {
      tokens: { status: string }[];
    };
    expect(after.tokens.map((t) => t.status)).toEqual(['expired']);
    expect(await works(await aliceToken(session2, 30))).toMatchObject({ user: { email: ALICE.email } });
  });

  it('keeps the cap within 1–365 days', async () => {
    const refused = await served.harness.call('settings.update', { apiTokenMaxDays: 0 }, owner);
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});
