import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/backend/backend';
import { silentLogger } from '../../electron/backend/logger';
import { openConnection } from '../../electron/backend/remote/connection';
import { sessionOnlyStore } from '../../electron/backend/remote/credentials';
import { PROFILES_FILE } from '../../electron/backend/remote/profiles';
import type { Envelope } from '../../shared/contract/envelope';
import { makeTempDir, newSession, OWNER, openTestBackend, removeDir, setUpOwner } from '../fixtures/backend';
import { type ApiServer, startApiServer } from '../fixtures/remote-server';
import { buildTenantWorld, PASSWORD, type TenantWorld } from '../fixtures/tenants';

let world: TenantWorld;
let server: ApiServer;
let dataDir: string;

beforeAll(async () => {
  world = await buildTenantWorld();
  server = await startApiServer(world.backend);
  dataDir = makeTempDir('orgdeck-profiles-');
});
afterAll(async () => {
  await server.stop();
  world.close();
  removeDir(dataDir);
});

const orgNames = (envelope: Envelope<unknown>) =>
  envelope.ok ? (envelope.data as { name: string }[]).map((org) => org.name) : envelope.error.message;

// A keychain that works, held in memory: these tests are about profiles, not about keytar.
const keychain = { available: true as const, store: sessionOnlyStore() };
const open = (dir = dataDir, fixedUrl?: string) =>
  openConnection({
    dataDir: dir,
    keychain,
    tokens: fixedUrl ? 'transport' : 'app',
    fixedUrl,
    openLocal: () => openBackend({ dataDir: dir, logger: silentLogger }),
    remote: { probeDelaysMs: [50] },
  });

describe('connection profiles', () => {
  it('switches between this computer and a server like workspaces, keeping no secret in profiles.json', async () => {
    const local = openTestBackend({ dataDir });
    await setUpOwner(local, { orgName: 'Laptop Local Org' });
    local.backend.close();

    const app = await open();
    const ipc = newSession();
    expect(app.status()).toMatchObject({ mode: 'local', switchable: true });
    await app.router.call('session.signIn', { email: OWNER.ownerEmail, password: OWNER.password }, ipc);
    const localOrgs = await app.router.call('orgs.list', {}, ipc);
    expect(orgNames(localOrgs)).toEqual(['Laptop Local Org']);

    const added = await app.router.call(
      'connection.addProfile',
      { url: `${server.url}/some/path`, email: ' User-A@Example.com ' },
      ipc,
    );
    expect(added).toMatchObject({
      ok: true,
      data: { mode: 'server', url: server.url, email: 'user-a@example.com' },
    });
    // A server profile starts signed out: the local session does not travel to the server.
    expect(await app.router.call('session.current', {}, ipc)).toMatchObject({
      ok: true,
      data: { user: null },
    });
    const wrongEmail = await app.router.call(
      'session.signIn',
      { email: 'owner@example.com', password: PASSWORD },
      ipc,
    );
    expect(wrongEmail).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    await app.router.call('session.signIn', { email: 'user-a@example.com', password: PASSWORD }, ipc);
    const remoteOrgs = await app.router.call('orgs.list', {}, ipc);
    expect(orgNames(remoteOrgs)).toEqual(['Alphaorg Zebra']);

    const file = readFileSync(join(dataDir, PROFILES_FILE), 'utf8');
    expect(JSON.parse(file)).toEqual({
      activeId: `${server.url} user-a@example.com`,
      servers: [{ url: server.url, email: 'user-a@example.com' }],
    });
    const token = await keychain.store.get(`${server.url} user-a@example.com`);
    expect(token).toBeTruthy();
    expect(file).not.toContain(token);

    const back = await app.router.call('connection.switch', { id: 'local' }, ipc);
    expect(back).toMatchObject({ ok: true, data: { mode: 'local' } });
    const againLocal = await app.router.call('orgs.list', {}, ipc);
    expect(orgNames(againLocal)).toEqual(['Laptop Local Org']);
    app.close();

    const restarted = await open();
    expect(restarted.status().mode).toBe('local');
    expect(await restarted.router.call('connection.profiles', {}, ipc)).toMatchObject({
      ok: true,
      data: { activeId: 'local', profiles: [{ id: 'local' }, { id: `${server.url} user-a@example.com` }] },
    });
    restarted.close();
  });

  it('refuses plain http to another computer, and a console bound with --remote cannot be switched', async () => {
    const app = await open(makeTempDir('orgdeck-profiles-'));
    const clear = await app.router.call(
      'connection.addProfile',
      { url: 'http://orgdeck.example.com', email: 'a@example.com' },
      newSession(),
    );
    expect(clear).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringMatching(/https/) },
    });
    app.close();

    const console = await open(makeTempDir('orgdeck-console-'), server.url);
    expect(console.status()).toMatchObject({ mode: 'server', url: server.url, switchable: false });
    const switched = await console.router.call('connection.switch', { id: 'local' }, newSession());
    expect(switched).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // The console passes the browser's token through: a sign-in hands the transport its token.
    const browser = newSession();
    await console.router.call('session.signIn', { email: 'owner@example.com', password: PASSWORD }, browser);
    expect(browser.token).toMatch(/\S{20,}/);
    console.close();
  });
});

describe("this computer's backend behind the desktop", () => {
  it('hands the window the JSON text the backend host made, so the main thread never rebuilds the answer', async () => {
    const dir = makeTempDir('orgdeck-profiles-text-');
    try {
      // The backend host's router answers text made on its own threads (backend-host.ts); this one
      // says which way it was asked.
      const asked: string[] = [];
      const hostMade = JSON.stringify({ ok: true, data: [{ name: 'made on the host' }] });
      const app = await openConnection({
        dataDir: dir,
        keychain,
        tokens: 'app',
        openLocal: () => ({
          router: {
            channels: [],
            call: async () => {
              asked.push('call');
              return { ok: true, data: [] };
            },
            callAsJson: async () => {
              asked.push('callAsJson');
              return { json: hostMade, error: null };
            },
          },
          close: () => {},
        }),
      });
      const ipc = newSession();
      expect(await app.router.callAsJson?.('orgs.list', {}, ipc)).toEqual({ json: hostMade, error: null });
      expect(asked).toEqual(['callAsJson']);
      // connection.* is answered by the connection itself, as text too.
      const status = await app.router.callAsJson?.('connection.status', {}, ipc);
      expect(JSON.parse(status?.json ?? '')).toMatchObject({ ok: true, data: { mode: 'local' } });
      expect(asked).toEqual(['callAsJson']);
      await app.close();
    } finally {
      removeDir(dir);
    }
  });
});
