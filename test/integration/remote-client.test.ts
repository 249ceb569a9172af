import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteRouter, type RemoteRouter } from '../../electron/backend/remote/remote-router';
import type { ChannelOutput } from '../../shared/contract';
import type { Envelope } from '../../shared/contract/envelope';
import { CONTRACT_HEADER, CONTRACT_VERSION } from '../../shared/contract/version';
import { newSession, type TestSession } from '../fixtures/backend';
import { type ApiServer, selfSignedCertificate, startApiServer } from '../fixtures/remote-server';
import { buildTenantWorld, PASSWORD, type TenantWorld } from '../fixtures/tenants';

let world: TenantWorld;
let server: ApiServer;
const routers: RemoteRouter[] = [];

function remote(url = server.url, extra: Partial<Parameters<typeof createRemoteRouter>[0]> = {}) {
  const router = createRemoteRouter({ url, probeDelaysMs: [50, 100], callTimeoutMs: 3_000, ...extra });
  routers.push(router);
  return router;
}

function data<T>(envelope: Envelope<unknown>): T {
  if (!envelope.ok) throw new Error(`refused: ${envelope.error.code}: ${envelope.error.message}`);
  return envelope.data as T;
}

async function signIn(router: RemoteRouter, email: string): Promise<TestSession> {
  const session = newSession();
  const signedIn = await router.call('session.signIn', { email, password: PASSWORD }, session);
  expect(signedIn.ok, JSON.stringify(signedIn)).toBe(true);
  expect(session.token).toMatch(/\S{20,}/);
  return session;
}

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

beforeAll(async () => {
  world = await buildTenantWorld();
  server = await startApiServer(world.backend);
});

afterEach(() => {
  for (const router of routers.splice(0)) router.close();
});

afterAll(async () => {
  await server.stop();
  world.close();
});

describe('the remote client against a real server on loopback', () => {
  it('signs in, lists orgs and creates an agent on the server, sending a Bearer token and the contract version', async () => {
    const router = remote();
    const owner = await signIn(router, 'owner@example.com');
    const orgs = data<ChannelOutput<'orgs.list'>>(await router.call('orgs.list', {}, owner));
    expect(orgs.map((org) => org.name)).toEqual(
      expect.arrayContaining(['Alphaorg Zebra', 'Betaorg Quokka', 'Gammaorg Narwhal']),
    );

    const created = data<ChannelOutput<'agents.create'>>(
      await router.call(
        'agents.create',
        { name: 'Remote Bot', handle: 'remote-bot', orgId: world.orgs.a.id },
        owner,
      ),
    );
    expect(created.org?.id).toBe(world.orgs.a.id);
    const onServer = await world.backend.router.call('agents.get', { handle: 'remote-bot' }, owner);
    expect(onServer.ok).toBe(true);

    const last = server.requests.at(-1);
    expect(last?.path).toBe('/api/agents.create');
    expect(last?.headers.authorization).toBe(`Bearer ${owner.token}`);
    expect(last?.headers.cookie).toBeUndefined();
    expect(last?.headers[CONTRACT_HEADER]).toBe(String(CONTRACT_VERSION));
  });

  it('refuses a bound user’s token for another org, on the server', async () => {
    const router = remote();
    const userA = await signIn(router, 'user-a@example.com');
    const own = data<ChannelOutput<'agents.list'>>(
      await router.call('agents.list', { org: world.orgs.a.id }, userA),
    );
    expect(own.items.map((agent) => agent.handle)).toContain('a-agent-1');

    const other = await router.call('agents.list', { org: world.orgs.b.id }, userA);
    // The server does not even confirm that the other org exists.
    expect(other.ok).toBe(false);
    if (!other.ok) expect(['FORBIDDEN', 'NOT_FOUND']).toContain(other.error.code);
    expect(JSON.stringify(other)).not.toMatch(/b-agent|Betaorg/);
    const orgs = data<ChannelOutput<'orgs.list'>>(await router.call('orgs.list', {}, userA));
    expect(orgs.map((org) => org.id)).toEqual([world.orgs.a.id]);
  });

  it('checks input before sending: bad input never reaches the server', async () => {
    const router = remote();
    const owner = await signIn(router, 'owner@example.com');
    const before = server.requests.length;
    const refused = await router.call('orgs.create', { name: '', rate: 'forty' }, owner);
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(server.requests.length).toBe(before);
  });

  it('signs out on the server: the token stops working', async () => {
    const router = remote();
    const owner = await signIn(router, 'owner@example.com');
    const token = owner.token;
    expect(data(await router.call('session.signOut', {}, owner))).toEqual({ signedOut: true });
    expect(owner.token).toBeNull();
    const again = await router.call('orgs.list', {}, { token, setToken: () => {} });
    expect(again).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('offline: reads come from the cache with cachedAt, writes are refused, and it reconnects on its own', async () => {
    const router = remote();
    const owner = await signIn(router, 'owner@example.com');
    const userB = await signIn(router, 'user-b@example.com');
    const online = await router.call('orgs.list', {}, owner);
    expect(online.ok && online.cachedAt).toBeFalsy();
    const loadedAt = Date.now();

    await server.stop();
    try {
      const cached = await router.call('orgs.list', {}, owner);
      expect(cached.ok).toBe(true);
      if (!cached.ok) return;
      expect(cached.data).toEqual(data(online));
      expect(Date.parse(cached.cachedAt ?? '')).toBeGreaterThanOrEqual(loadedAt - 1_000);
      expect(router.status()).toMatchObject({ online: false, cachedAt: cached.cachedAt });

      // Another account never sees what the owner loaded, even offline.
      const leak = await router.call('orgs.list', {}, userB);
      expect(leak).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });

      const notLoaded = await router.call('prices.list', {}, owner);
      expect(notLoaded).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });

      const write = await router.call('orgs.create', { name: 'Offline Org' }, owner);
      expect(write).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
      if (!write.ok) expect(write.error.message).toMatch(/offline.*not saved/i);
    } finally {
      await server.start();
    }
    await until(() => router.status().online);
    const fresh = await router.call('orgs.list', {}, owner);
    expect(fresh.ok && fresh.cachedAt).toBeFalsy();
    expect(router.status()).toEqual({ online: true, cachedAt: null, problem: null });
    const names = (await world.backend.router.call('orgs.list', {}, owner)) as {
      ok: true;
      data: { name: string }[];
    };
    expect(names.data.map((org) => org.name)).not.toContain('Offline Org');
  });
});

describe('the version handshake', () => {
  let stub: Server;
  let answer: (path: string) => { status: number; body: unknown };
  let stubUrl: string;

  beforeAll(async () => {
    stub = createServer((req, res) => {
      const { status, body } = answer(req.url ?? '');
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => stub.close(() => resolve())));

  it('names the server as the side to update when it has no version route', async () => {
    answer = () => ({ status: 404, body: { ok: false, error: { code: 'NOT_FOUND', message: 'no' } } });
    const envelope = await remote(stubUrl).call('orgs.list', {}, newSession());
    expect(envelope).toMatchObject({ ok: false, error: { code: 'VERSION_MISMATCH' } });
    if (!envelope.ok) expect(envelope.error.message).toMatch(/update the Orgdeck server/);
  });

  it('names this app as the side to update when the server speaks a newer contract', async () => {
    answer = (path) =>
      path === '/api/version'
        ? { status: 200, body: { app: '9.0.0', contract: CONTRACT_VERSION + 1 } }
        : { status: 500, body: {} };
    const router = remote(stubUrl);
    const envelope = await router.call('orgs.list', {}, newSession());
    expect(envelope).toMatchObject({ ok: false, error: { code: 'VERSION_MISMATCH' } });
    if (!envelope.ok) expect(envelope.error.message).toMatch(/update this app/);
    expect(router.status().problem).toMatch(/update this app/);
  });
});

describe('TLS with a self-signed certificate', () => {
  it('works when given the certificate as ca, and says the certificate is not trusted without it', async () => {
    const tls = selfSignedCertificate();
    const secure = await startApiServer(world.backend, tls);
    try {
      const trusted = remote(secure.url, { ca: tls.cert });
      const owner = await signIn(trusted, 'owner@example.com');
      expect(data<unknown[]>(await trusted.call('orgs.list', {}, owner)).length).toBeGreaterThan(2);

      const untrusted = remote(secure.url);
      const refused = await untrusted.call('session.current', {}, newSession());
      expect(refused).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
      if (!refused.ok) expect(refused.error.message).toMatch(/certificate is not trusted/);
      expect(untrusted.status().online).toBe(true);
    } finally {
      await secure.stop();
    }
  });
});
