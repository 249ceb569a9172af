import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTRACT_HEADER, CONTRACT_VERSION } from '../../shared/contract/version';
import { newSession, OWNER, setUpOwner, type TestSession } from '../fixtures/backend';
import {
  type Answer,
  bearer,
  type ServedBackend,
  serveBackend,
  sessionTokenOf,
} from '../fixtures/http-server';

const DAY_MS = 86_400_000;
const USER_PASSWORD = 'bound user passphrase';

let served: ServedBackend;
let owner: TestSession;

beforeEach(async () => {
  served = await serveBackend();
  owner = await setUpOwner(served.harness);
});

afterEach(() => served.stop());

function expectError(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.body).toMatchObject({ ok: false, error: { code, message: expect.any(String) } });
}

async function signIn(email: string = OWNER.ownerEmail, password: string = OWNER.password, headers = {}) {
  return served.post('session.signIn', { email, password }, headers);
}

/** An API token for `userId` (the owner when left out), minted by the owner over HTTP. */
async function mintToken(input: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
  const answer = await served.post(
    'tokens.create',
    { name: 'Script', password: OWNER.password, ...input },
    bearer(sessionTokenOf(await signIn())),
  );
  expect(answer.status, answer.text).toBe(200);
  const data = answer.body.data as { token: { id: string }; secret: string };
  return { id: data.token.id, secret: data.secret };
}

const ownerIdOf = async () => (await served.harness.data('session.current', {}, owner)).user?.id;

const orgCount = async () => (await served.harness.data('orgs.list', {}, owner)).length;

describe('Authorization: Bearer', () => {
  it('accepts the session token a sign-in hands over in Set-Cookie, without any cookie', async () => {
    const token = sessionTokenOf(await signIn());
    const answer = await served.post('orgs.create', { name: 'Bearer Corp' }, bearer(token));
    expect(answer.body).toMatchObject({ ok: true, data: { slug: 'bearer-corp' } });
    const current = await served.post('session.current', {}, bearer(token));
    expect(current.body).toMatchObject({ data: { user: { email: OWNER.ownerEmail } } });
  });

  it('answers 401 for a forged token, a signed-out one, and a non-Bearer scheme', async () => {
    expectError(await served.post('orgs.list', {}, bearer('forged')), 401, 'UNAUTHENTICATED');
    expectError(await served.post('orgs.list', {}, bearer(`odk_${'A'.repeat(43)}`)), 401, 'UNAUTHENTICATED');
    const token = sessionTokenOf(await signIn());
    expectError(
      await served.post('orgs.list', {}, { Authorization: `Basic ${token}` }),
      401,
      'UNAUTHENTICATED',
    );
    await served.post('session.signOut', {}, bearer(token));
    expectError(await served.post('orgs.list', {}, bearer(token)), 401, 'UNAUTHENTICATED');
  });

  it('refuses a Bearer request from a foreign Origin and writes nothing', async () => {
    const { secret } = await mintToken();
    const before = await orgCount();
    const answer = await served.post(
      'orgs.create',
      { name: 'Cross Site' },
      { ...bearer(secret), Origin: 'https://evil.example' },
    );
    expectError(answer, 403, 'FORBIDDEN');
    expect(await orgCount()).toBe(before);
  });
});

describe('API tokens over HTTP', () => {
  it('shows the secret once, stores only its SHA-256, and acts as its user', async () => {
    const { id, secret } = await mintToken({ expiresInDays: 30 });
    expect(secret).toMatch(/^odk_[A-Za-z0-9_-]{43,}$/);
    const row = served.harness.backend.store.db.prepare('SELECT * FROM api_tokens WHERE id = ?').get(id);
    expect(JSON.stringify(row)).not.toContain(secret.slice(4));
    expect(row).toMatchObject({ token_hash: createHash('sha256').update(secret).digest('hex') });

    const created = await served.post('orgs.create', { name: 'Token Corp' }, bearer(secret));
    expect(created.body).toMatchObject({ ok: true, data: { slug: 'token-corp' } });
    const list = await served.post('tokens.list', {}, bearer(secret));
    expect(list.text).not.toContain(secret);
    expect(list.body).toMatchObject({
      data: {
        user: { email: OWNER.ownerEmail },
        tokens: [
          {
            id,
            name: 'Script',
            status: 'active',
            prefix: secret.slice(0, 10),
            lastUsedAt: expect.any(String),
          },
        ],
      },
    });
    const audit = await served.harness.data('audit.list', { action: 'token' }, owner);
    expect(audit.items.map((entry) => entry.action)).toEqual(['token.created']);
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('stops working when it expires', async () => {
    const { id, secret } = await mintToken({ expiresInDays: 1 });
    served.clock.advance(DAY_MS - 1000);
    expect((await served.post('orgs.list', {}, bearer(secret))).status).toBe(200);
    served.clock.advance(1000);
    expectError(await served.post('orgs.list', {}, bearer(secret)), 401, 'UNAUTHENTICATED');
    // The owner's own session has expired too by now: a fresh sign-in lists the token.
    const list = await served.post('tokens.list', {}, bearer(sessionTokenOf(await signIn())));
    expect((list.body.data as { tokens: unknown[] }).tokens).toEqual([
      expect.objectContaining({ id, status: 'expired' }),
    ]);
  });

  it('stops working at once when revoked, and the revocation is audited', async () => {
    const { id, secret } = await mintToken();
    expect((await served.post('orgs.list', {}, bearer(secret))).status).toBe(200);
    const revoked = await served.post('tokens.revoke', { id }, bearer(sessionTokenOf(await signIn())));
    expect(revoked.body).toMatchObject({ ok: true, data: { id, status: 'revoked' } });
    expectError(await served.post('orgs.list', {}, bearer(secret)), 401, 'UNAUTHENTICATED');
    const audit = await served.harness.data('audit.list', { action: 'token' }, owner);
    expect(audit.items.map((entry) => entry.action)).toEqual(['token.revoked', 'token.created']);
  });

  describe('for a user bound to one org', () => {
    let orgs: { a: { id: string }; b: { id: string } };
    let userId: string;

    beforeEach(async () => {
      orgs = {
        a: await served.harness.data('orgs.create', { name: 'Alpha Client' }, owner),
        b: await served.harness.data('orgs.create', { name: 'Beta Client' }, owner),
      };
      userId = (
        await served.harness.data(
          'users.create',
          {
            email: 'bound@example.com',
            name: 'Bound User',
            role: 'user',
            boundOrgId: orgs.a.id,
            pages: ['agents', 'knowledge'],
            password: USER_PASSWORD,
          },
          owner,
        )
      ).id;
    });

    it('acts with the binding: the other org is refused and nothing is written there', async () => {
      const { secret } = await mintToken({ userId });
      const listed = await served.post('orgs.list', {}, bearer(secret));
      expect((listed.body.data as { id: string }[]).map((org) => org.id)).toEqual([orgs.a.id]);
      const get = await served.post('orgs.get', { id: orgs.b.id }, bearer(secret));
      expect([403, 404]).toContain(get.status);
      expect(get.text).not.toContain('Beta Client');

      const db = served.harness.backend.store.db;
      const rowsInB = () =>
        db
          .prepare(
            'SELECT (SELECT count(*) FROM agents WHERE org_id = ?) + (SELECT count(*) FROM knowledge_docs WHERE org_id = ?) AS n',
          )
          .get(orgs.b.id, orgs.b.id);
      const before = rowsInB();
      for (const [channel, input] of [
        ['agents.create', { name: 'Sneaky', handle: 'sneaky', orgId: orgs.b.id }],
        ['knowledge.add', { orgId: orgs.b.id, title: 'Sneaky', body: 'x' }],
      ] as const) {
        const answer = await served.post(channel, input, bearer(secret));
        expect([403, 404], `${channel}: ${answer.text}`).toContain(answer.status);
      }
      expect(rowsInB()).toEqual(before);
      // The same token does reach its own org, where a member edits knowledge.
      const own = await served.post(
        'knowledge.add',
        { orgId: orgs.a.id, title: 'Own', body: 'x' },
        bearer(secret),
      );
      expect(own.status, own.text).toBe(200);
    });

    it('may manage its own tokens only, and cannot mint one for anybody else', async () => {
      const userToken = sessionTokenOf(await signIn('bound@example.com', USER_PASSWORD));
      const own = await served.post(
        'tokens.create',
        { name: 'Mine', password: USER_PASSWORD },
        bearer(userToken),
      );
      expect(own.body).toMatchObject({ ok: true, data: { token: { userId } } });
      const ownerId = await ownerIdOf();
      const before = served.harness.backend.store.db.prepare('SELECT count(*) AS n FROM api_tokens').get();
      expectError(
        await served.post('tokens.create', { name: 'Escalate', userId: ownerId }, bearer(userToken)),
        403,
        'FORBIDDEN',
      );
      expectError(await served.post('tokens.list', { userId: ownerId }, bearer(userToken)), 403, 'FORBIDDEN');
      const { id: ownersTokenId, secret: ownersSecret } = await mintToken();
      expectError(
        await served.post('tokens.revoke', { id: ownersTokenId }, bearer(userToken)),
        404,
        'NOT_FOUND',
      );
      expect((await served.post('orgs.list', {}, bearer(ownersSecret))).status).toBe(200);
      expect(served.harness.backend.store.db.prepare('SELECT count(*) AS n FROM api_tokens').get()).toEqual({
        n: (before as { n: number }).n + 1,
      });
    });

    it('follows the user: a new binding applies at once, and disabling or deleting the user ends it', async () => {
      const { secret } = await mintToken({ userId });
      await served.harness.data('users.update', { id: userId, boundOrgId: orgs.b.id }, owner);
      const listed = await served.post('orgs.list', {}, bearer(secret));
      expect((listed.body.data as { id: string }[]).map((org) => org.id)).toEqual([orgs.b.id]);
      await served.harness.data('users.disable', { id: userId }, owner);
      expectError(await served.post('orgs.list', {}, bearer(secret)), 401, 'UNAUTHENTICATED');
      await served.harness.data('users.enable', { id: userId }, owner);
      expect((await served.post('orgs.list', {}, bearer(secret))).status).toBe(200);
      await served.harness.data('users.delete', { id: userId }, owner);
      expectError(await served.post('orgs.list', {}, bearer(secret)), 401, 'UNAUTHENTICATED');
      expect(
        served.harness.backend.store.db
          .prepare('SELECT count(*) AS n FROM api_tokens WHERE user_id = ?')
          .get(userId),
      ).toEqual({ n: 0 });
    });
  });

  it('lets an admin manage other users’ tokens, but not an owner’s', async () => {
    await served.harness.data(
      'users.create',
      { email: 'admin@example.com', name: 'Ada Admin', role: 'admin', password: USER_PASSWORD },
      owner,
    );
    const admin = newSession();
    await served.harness.data(
      'session.signIn',
      { email: 'admin@example.com', password: USER_PASSWORD },
      admin,
    );
    const ownerId = await ownerIdOf();
    const refused = await served.harness.call('tokens.create', { name: 'Take over', userId: ownerId }, admin);
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const listed = await served.harness.data('tokens.list', { userId: ownerId }, admin);
    expect(listed.tokens).toEqual([]);
  });
});

describe('the contract version handshake', () => {
  it('tells anyone the app and contract versions, without signing in', async () => {
    const response = await fetch(`${served.url}/api/version`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ app: '9.9.9', contract: CONTRACT_VERSION });
  });

  it('refuses an older client with 426, telling it to update this computer, and writes nothing', async () => {
    const token = sessionTokenOf(await signIn());
    const before = await orgCount();
    const answer = await served.post(
      'orgs.create',
      { name: 'Old Client' },
      { ...bearer(token), [CONTRACT_HEADER]: String(CONTRACT_VERSION - 1) },
    );
    expectError(answer, 426, 'VERSION_MISMATCH');
    expect(answer.body.error?.message).toBe(
      `This Orgdeck server speaks contract ${CONTRACT_VERSION}; this console speaks ${CONTRACT_VERSION - 1}: update Orgdeck on this computer.`,
    );
    expect(answer.body.error?.details).toEqual({ server: CONTRACT_VERSION, client: CONTRACT_VERSION - 1 });
    expect(await orgCount()).toBe(before);
  });

  it('refuses a newer client, telling it to update the server; an unreadable version too', async () => {
    const newer = await served.post(
      'session.current',
      {},
      { [CONTRACT_HEADER]: String(CONTRACT_VERSION + 1) },
    );
    expectError(newer, 426, 'VERSION_MISMATCH');
    expect(newer.body.error?.message).toMatch(/this console speaks \d+: update the Orgdeck server/);
    const garbled = await served.post('session.current', {}, { [CONTRACT_HEADER]: 'v1' });
    expectError(garbled, 426, 'VERSION_MISMATCH');
    expect(garbled.body.error?.details).toEqual({ server: CONTRACT_VERSION, client: null });
  });

  it('lets a matching client, and one that sends no version, through', async () => {
    const matching = await served.post(
      'session.current',
      {},
      { [CONTRACT_HEADER]: String(CONTRACT_VERSION) },
    );
    expect(matching.status).toBe(200);
    expect((await served.post('session.current', {})).status).toBe(200);
  });
});

describe('CORS stays closed', () => {
  it('refuses preflights and never sends Access-Control headers', async () => {
    const preflight = await fetch(`${served.url}/api/orgs.list`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://evil.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type',
      },
    });
    expect([403, 405]).toContain(preflight.status);
    const answers = [
      preflight,
      await fetch(`${served.url}/`, { method: 'OPTIONS' }),
      (await served.post('orgs.list', {}, { Origin: 'https://evil.example' })) as unknown as Response,
      (await signIn()) as unknown as Response,
    ];
    for (const answer of answers) {
      const names = [...answer.headers.keys()];
      expect(names.filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });
});

describe('request size', () => {
  it('refuses a body over 1 MiB with 400 and writes nothing, and keeps serving', async () => {
    const token = sessionTokenOf(await signIn());
    const before = await orgCount();
    const body = JSON.stringify({ name: 'Huge', description: 'x'.repeat(1024 * 1024) });
    const response = await fetch(`${served.url}/api/orgs.create`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...bearer(token) },
      body,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringMatching(/larger than 1024 KiB/) },
    });
    expect(await orgCount()).toBe(before);
    expect((await served.post('orgs.list', {}, bearer(token))).status).toBe(200);
  });
});

describe('sign-in limits', () => {
  it('refuses an address after 20 failed sign-ins, whichever emails, until 15 minutes pass', async () => {
    for (let attempt = 1; attempt <= 20; attempt++) {
      expectError(await signIn(`guess${attempt}@example.com`, 'wrong password'), 401, 'UNAUTHENTICATED');
    }
    const refused = await signIn();
    expectError(refused, 429, 'RATE_LIMITED');
    expect(refused.body.error?.message).toMatch(/from this address/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // The router alone (the desktop window, no address) is not limited by the address's count.
    expect(
      await served.harness.call('session.signIn', { email: OWNER.ownerEmail, password: OWNER.password }),
    ).toMatchObject({ ok: true });
    served.clock.advance(15 * 60_000);
    expect((await signIn()).status).toBe(200);
  }, 30_000);

  it('refuses a session that keeps guessing at other accounts, before the address limit', async () => {
    const token = sessionTokenOf(await signIn());
    for (let attempt = 1; attempt <= 10; attempt++) {
      expectError(
        await signIn(`guess${attempt}@example.com`, 'wrong password', bearer(token)),
        401,
        'UNAUTHENTICATED',
      );
    }
    const refused = await signIn(OWNER.ownerEmail, OWNER.password, bearer(token));
    expectError(refused, 429, 'RATE_LIMITED');
    expect(refused.body.error?.message).toMatch(/from this session/);
    // The same address without that session may still sign in: 10 failures are under its limit.
    expect((await signIn()).status).toBe(200);
  }, 30_000);
});

describe('the request log', () => {
  it('has one JSON line per request with who and how long, and no secret anywhere', async () => {
    const signedIn = await signIn();
    const sessionToken = sessionTokenOf(signedIn);
    await served.post('orgs.list', {}, { Cookie: `orgdeck_session=${encodeURIComponent(sessionToken)}` });
    const { secret } = await mintToken();
    await served.post('orgs.list', {}, bearer(secret));
    await signIn(OWNER.ownerEmail, 'a wrong password to log');
    await fetch(`${served.url}/api/orgs.list?token=${secret}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...bearer(secret) },
      body: '{}',
    });

    const log = served.logLines.join('');
    for (const secretText of [
      OWNER.password,
      'a wrong password to log',
      sessionToken,
      encodeURIComponent(sessionToken),
      secret,
      secret.slice(10),
    ]) {
      expect(log).not.toContain(secretText);
    }
    expect(log).not.toMatch(/authorization|cookie|bearer/i);
    const requests = served.logLines
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.message === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(6);
    for (const entry of requests) {
      expect(entry).toMatchObject({
        level: 'info',
        method: 'POST',
        path: expect.stringMatching(/^\/api\//),
        status: expect.any(Number),
        ms: expect.any(Number),
        ip: expect.stringMatching(/127\.0\.0\.1/),
      });
    }
    const ownerId = await ownerIdOf();
    const tokenCall = requests.filter((entry) => entry.path === '/api/orgs.list');
    expect(tokenCall.map((entry) => entry.userId)).toEqual([ownerId, ownerId, ownerId]);
    expect(requests.find((entry) => entry.status === 401)?.userId).toBeUndefined();
  });
});
