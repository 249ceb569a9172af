import { contextBridge, ipcRenderer } from 'electron';
import { channelNames } from '../../shared/contract';
import { splitChannel } from '../../shared/contract/bridge';

// Exactly the contract's channels, each bound to its own name: the page cannot invoke anything else.
const bridge: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
for (const name of channelNames) {
  const [domain, action] = splitChannel(name);
  bridge[domain] ??= {};
  bridge[domain][action] = (input) => ipcRenderer.invoke(name, input);
}

contextBridge.exposeInMainWorld('orgdeck', bridge);
