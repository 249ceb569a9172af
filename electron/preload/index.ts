import { contextBridge, ipcRenderer } from 'electron';
import { channelNames } from '../../shared/contract';
import { splitChannel } from '../../shared/contract/bridge';

// Exactly the contract's channels, each bound to its own name: the page cannot invoke anything else.
// The main process answers each call's envelope as JSON text (electron/main/ipc.ts): parsed here,
// in the window's process, not on the thread that draws every window.
const bridge: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
for (const name of channelNames) {
  const [domain, action] = splitChannel(name);
  bridge[domain] ??= {};
  bridge[domain][action] = async (input) => JSON.parse(await ipcRenderer.invoke(name, input)) as unknown;
}

contextBridge.exposeInMainWorld('orgdeck', bridge);
