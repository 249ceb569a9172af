import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Backend, openBackend } from '../../../electron/backend/backend';
import { silentLogger } from '../../../electron/backend/logger';
import { channelNames } from '../../../shared/contract';

type IpcHandler = (event: unknown, input: unknown) => Promise<unknown> | unknown;
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
    const setup = handlers.get('setup.init');
    await expect(setup?.(event(1, 'https://evil.example/'), OWNER)).resolves.toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await expect(setup?.(event(1, APP, {}), OWNER)).resolves.toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(backend.store.users.activeOwners()).toBe(0);
  });

  it('keeps the session token in the main process, per window', async () => {
    const signedIn = await handlers.get('setup.init')?.(event(7), OWNER);
    expect(JSON.stringify(signedIn)).not.toMatch(/token/i);
    await expect(handlers.get('orgs.list')?.(event(7), {})).resolves.toMatchObject({ ok: true });
    // Another window has no session of its own.
    await expect(handlers.get('orgs.list')?.(event(8), {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    await handlers.get('session.signOut')?.(event(7), {});
    await expect(handlers.get('orgs.list')?.(event(7), {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });
});
