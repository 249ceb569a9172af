import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/backend/backend';
import { silentLogger } from '../../electron/backend/logger';
import { type Connection, openConnection } from '../../electron/backend/remote/connection';
import { accountFor, type Keychain, openKeychain } from '../../electron/backend/remote/credentials';
import { makeTempDir, newSession, removeDir } from '../fixtures/backend';
import { type ApiServer, startApiServer } from '../fixtures/remote-server';
import { buildTenantWorld, PASSWORD, type TenantWorld } from '../fixtures/tenants';

// `npm test` runs Vitest through scripts/with-keyring.sh (a private D-Bus session with
// gnome-keyring). Only ORGDECK_NO_KEYRING=1 may skip the real-keychain tests; a missing keyring fails.
const noKeyring = process.env.ORGDECK_NO_KEYRING === '1';

let world: TenantWorld;
let server: ApiServer;
const dirs: string[] = [];

beforeAll(async () => {
  world = await buildTenantWorld();
  server = await startApiServer(world.backend);
});
afterAll(async () => {
  await server.stop();
  world.close();
  for (const dir of dirs) removeDir(dir);
});

function desktop(keychain: Keychain, dataDir = makeTempDir('orgdeck-desktop-')): Promise<Connection> {
  dirs.push(dataDir);
  return openConnection({
    dataDir,
    keychain,
    tokens: 'app',
    openLocal: () => openBackend({ dataDir, logger: silentLogger }),
    remote: { probeDelaysMs: [50] },
  });
}

/** Every byte under `dir`, to prove a token was never written there. */
function allFileText(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => readFileSync(path).toString('latin1'))
    .join('\n');
}

const ipc = newSession; // the desktop's transport session; the app keeps server tokens itself

describe.skipIf(noKeyring)('the OS keychain (a real Secret Service)', () => {
  it('stores, finds, reads and deletes a token with keytar', async () => {
    const keychain = await openKeychain();
    if (!keychain.available)
      throw new Error(
        `No keychain: ${keychain.problem}. Run through scripts/with-keyring.sh or set ORGDECK_NO_KEYRING=1.`,
      );
    const account = accountFor('https://orgdeck.test', `round-trip-${process.pid}@example.com`);
    await keychain.store.set(account, 'token-value-1');
    expect(await keychain.store.get(account)).toBe('token-value-1');
    expect(await keychain.store.accounts()).toContain(account);
    await keychain.store.delete(account);
    expect(await keychain.store.get(account)).toBeNull();
  });

  it('a desktop sign-in to a server lands in the keychain, survives a restart, and sign-out removes it', async () => {
    const keychain = await openKeychain();
    if (!keychain.available) throw new Error(`No keychain: ${keychain.problem}`);
    const dataDir = makeTempDir('orgdeck-desktop-');
    const first = await desktop(keychain, dataDir);
    const added = await first.router.call(
      'connection.addProfile',
      { url: server.url, email: 'owner@example.com' },
      ipc(),
    );
    expect(added).toMatchObject({ ok: true, data: { mode: 'server', keychain: 'available', online: true } });
    const signedIn = await first.router.call(
      'session.signIn',
      { email: 'owner@example.com', password: PASSWORD },
      ipc(),
    );
    expect(signedIn.ok).toBe(true);
    const account = accountFor(server.url, 'owner@example.com');
    const token = await keychain.store.get(account);
    expect(token).toMatch(/\S{20,}/);
    first.close();

    const restarted = await desktop(keychain, dataDir);
    const current = await restarted.router.call('session.current', {}, ipc());
    expect(current).toMatchObject({ ok: true, data: { user: { email: 'owner@example.com' } } });
    expect(allFileText(dataDir)).not.toContain(token);

    await restarted.router.call('session.signOut', {}, ipc());
    expect(await keychain.store.get(account)).toBeNull();
    restarted.close();
  });
});

describe('without a keychain', () => {
  const broken = () => openKeychain(() => Promise.reject(new Error("Cannot find module 'keytar'")));

  it('says why when keytar cannot load, and when no keychain service answers', async () => {
    expect(await broken()).toEqual({
      available: false,
      problem: "the keychain module could not be loaded (Cannot find module 'keytar')",
    });
    const noService = await openKeychain(async () => ({
      getPassword: async () => null,
      setPassword: async () => {},
      deletePassword: async () => false,
      findCredentials: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
    }));
    expect(noService).toMatchObject({
      available: false,
      problem: expect.stringMatching(/no keychain service answers/),
    });
  });

  it('refuses a server sign-in until the user chooses “keep only for this session”, and never writes the token', async () => {
    const dataDir = makeTempDir('orgdeck-desktop-');
    const app = await desktop(await broken(), dataDir);
    await app.router.call('connection.addProfile', { url: server.url, email: 'owner@example.com' }, ipc());
    expect(app.status()).toMatchObject({ keychain: 'unavailable', sessionOnly: false, mode: 'server' });

    const before = server.requests.length;
    const refused = await app.router.call(
      'session.signIn',
      { email: 'owner@example.com', password: PASSWORD },
      ipc(),
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/no keychain.*Keep only for this session/);
    expect(server.requests.length).toBe(before);

    expect(await app.router.call('connection.keepForSession', {}, ipc())).toMatchObject({
      ok: true,
      data: { sessionOnly: true },
    });
    const signedIn = await app.router.call(
      'session.signIn',
      { email: 'owner@example.com', password: PASSWORD },
      ipc(),
    );
    expect(signedIn.ok).toBe(true);
    const orgs = await app.router.call('orgs.list', {}, ipc());
    expect(orgs.ok && (orgs.data as unknown[]).length).toBeGreaterThan(2);
    const token = server.requests.at(-1)?.headers.authorization?.replace('Bearer ', '') ?? '';
    expect(token.length).toBeGreaterThan(20);
    expect(allFileText(dataDir)).not.toContain(token);
    app.close();

    // A new run of the app has forgotten it: session-only means exactly that.
    const again = await desktop(await broken(), dataDir);
    expect(await again.router.call('session.current', {}, ipc())).toMatchObject({
      ok: true,
      data: { user: null },
    });
    again.close();
  });
});
