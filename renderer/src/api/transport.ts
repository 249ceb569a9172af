import type { OrgdeckBridge } from '../../../shared/contract/bridge';
import { splitChannel } from '../../../shared/contract/bridge';
import type { Envelope } from '../../../shared/contract/envelope';

declare global {
  interface Window {
    /** Present in the desktop app (the preload's bridge); absent in the headless console. */
    orgdeck?: OrgdeckBridge;
  }
}

export type Transport = (name: string, input: unknown) => Promise<Envelope<unknown>>;

function ipcTransport(bridge: OrgdeckBridge): Transport {
  const domains = bridge as unknown as Record<
    string,
    Record<string, (input: unknown) => Promise<Envelope<unknown>>>
  >;
  return (name, input) => {
    const [domain, action] = splitChannel(name);
    const fn = domains[domain]?.[action];
    return fn
      ? fn(input)
      : Promise.resolve({ ok: false, error: { code: 'NOT_FOUND', message: `No channel ${name}.` } });
  };
}

const httpTransport: Transport = async (name, input) => {
  let response: Response;
  try {
    response = await fetch(`/api/${name}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(input ?? {}),
    });
  } catch {
    return {
      ok: false,
      error: { code: 'INTERNAL', message: 'Cannot reach the Orgdeck server. Check that it is running.' },
    };
  }
  try {
    return (await response.json()) as Envelope<unknown>;
  } catch {
    return {
      ok: false,
      error: { code: 'INTERNAL', message: `The server answered ${response.status} without data.` },
    };
  }
};

/** IPC inside the desktop app, HTTP in a browser: the rest of the renderer cannot tell the difference. */
export const transport: Transport = window.orgdeck ? ipcTransport(window.orgdeck) : httpTransport;
