import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Backend, openBackend } from '../../../electron/backend/backend';
import { silentLogger } from '../../../electron/backend/logger';
import { channelNames } from '../../../shared/contract';

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
