import { beforeEach, describe, expect, it, vi } from 'vitest';
import { channelNames } from '../../../shared/contract';

const exposed = vi.hoisted(() => ({
  key: '',
  api: {} as Record<string, Record<string, (input: unknown) => unknown>>,
}));
// The main process answers each call as JSON text (electron/main/ipc.ts).
const invoke = vi.hoisted(() =>
  vi.fn(async (channel: string, input: unknown) => JSON.stringify({ ok: true, data: { channel, input } })),
);

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: typeof exposed.api) => {
      exposed.key = key;
      exposed.api = api;
    },
  },
  ipcRenderer: { invoke },
}));

describe('the preload bridge', () => {
  beforeEach(async () => {
    await import('../../../electron/preload/index');
  });

  it('exposes window.orgdeck with exactly the contract channels, grouped by domain', () => {
    expect(exposed.key).toBe('orgdeck');
    const names = Object.entries(exposed.api).flatMap(([domain, actions]) =>
      Object.keys(actions).map((action) => `${domain}.${action}`),
    );
    expect(names.sort()).toEqual([...channelNames].sort());
  });

  it('sends each function to its own channel and nowhere else, and hands the page the envelope', async () => {
    const answer = await exposed.api.orgs?.list?.({ search: 'x' });
    expect(invoke).toHaveBeenLastCalledWith('orgs.list', { search: 'x' });
    expect(exposed.api).not.toHaveProperty('invoke');
    expect(answer).toEqual({ ok: true, data: { channel: 'orgs.list', input: { search: 'x' } } });
  });
});
