import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Backend, openBackend } from '../../../electron/backend/backend';
import { silentLogger } from '../../../electron/backend/logger';
import { channelNames } from '../../../shared/contract';
import { codeAt } from '../../fixtures/authenticator';

type IpcHandler = (event: unknown, input: unknown) => Promise<string>;
const handlers = vi.hoisted(() => new Map<string, IpcHandler>());

vi.mock('electron', () => ({
  ipcMain: { handle: (name: string, handler: IpcHandler) => handlers.set(name, handler) },
}));

const { bindIpc } = await import('../../../electron/main/ipc');

const APP = 'file:///app/out/renderer/index.html';
const OWNER = { ownerEmail: 'o@example.com', ownerName: 'Olivia', password: 'correct horse battery' };

function event(id: number, url = APP, parent: unknown = null) {
  return { sender: { id, once: () => {} }, senderFrame: { url, parent } };
}

/** A call from window `id`'s frame, answered as the preload hands it to the page: the main process's JSON text, parsed. */
async function call(channel: string, from: ReturnType<typeof event>, input: unknown = {}): Promise<unknown> {
  const handler = handlers.get(channel);
  if (!handler) throw new Error(`No handler for ${channel}`);
  const answer = await handler(from, input);
  expect(typeof answer).toBe('string');
  return JSON.parse(answer);
}

describe('IPC binding', () => {
  let dir: string;
  let backend: Backend;

  beforeEach(() => {
    handlers.clear();
    dir = mkdtempSync(join(tmpdir(), 'orgdeck-ipc-'));
    backend = openBackend({ dataDir: dir, logger: silentLogger });
    bindIpc(backend.router, (url) => url.startsWith(APP));
  });

  afterEach(() => {
    backend.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('handles exactly the contract channels', () => {
    expect([...handlers.keys()].sort()).toEqual([...channelNames].sort());
  });

  it('refuses a message from a frame that is not our renderer, and from subframes', async () => {
    await expect(call('setup.init', event(1, 'https://evil.example/'), OWNER)).resolves.toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await expect(call('setup.init', event(1, APP, {}), OWNER)).resolves.toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(backend.store.users.activeOwners()).toBe(0);
  });

  it('tells of a window signing in, and of its finishing two-factor enrolment, with its session', async () => {
    const signedIn: string[] = [];
    handlers.clear();
    const windows = bindIpc(
      backend.router,
      (url) => url.startsWith(APP),
      (token) => signedIn.push(token),
    );
    await call('setup.init', event(7), OWNER);
    await call('users.create', event(7), {
      email: 'ada@example.com',
      name: 'Ada',
      role: 'admin',
      password: OWNER.password,
    });
    await call('settings.update', event(7), { requireTwoFactor: true });
    await call('session.signIn', event(9), { email: 'ada@example.com', password: OWNER.password });
    const [, ada] = windows.sessionTokens();
    expect(signedIn).toEqual([windows.sessionTokens()[0], ada]);
    // Until she enrols, she may open nothing else; a wrong code tells of nothing.
    const begun = (await call('twoFactor.begin', event(9))) as { data: { secret: string } };
    await call('twoFactor.confirm', event(9), { code: '000000' });
    expect(signedIn).toHaveLength(2);
    await expect(
      call('twoFactor.confirm', event(9), { code: codeAt(begun.data.secret, new Date().toISOString()) }),
    ).resolves.toMatchObject({ ok: true });
    expect(signedIn).toEqual([windows.sessionTokens()[0], ada, ada]);
  });

  it('keeps the session token in the main process, per window', async () => {
    const signedIn = await call('setup.init', event(7), OWNER);
    expect(JSON.stringify(signedIn)).not.toMatch(/token/i);
    await expect(call('orgs.list', event(7))).resolves.toMatchObject({ ok: true });
    // Another window has no session of its own.
    await expect(call('orgs.list', event(8))).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    await call('session.signOut', event(7));
    await expect(call('orgs.list', event(7))).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });
});
