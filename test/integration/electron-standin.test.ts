import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { launchOnStandin } from '../fixtures/electron-standin/desktop-app';

// The start-up test is only as good as its stand-in: each rule the stand-in claims, kept.

interface Probe {
  beforeReady: Record<string, string>;
  afterReady: Record<string, string>;
  readyBeforeEvaluated: boolean | null;
  secondHandler: string;
  userData: string;
  userDataEntries: string[];
}

it('keeps the start-up rules it claims from Electronʼs documentation', async () => {
  const child = launchOnStandin(join(import.meta.dirname, '../fixtures/electron-standin/rules-probe.mjs'), {
    packaged: false,
  });
  const probe = await new Promise<Probe>((resolve, reject) => {
    child.on('message', (message: { type: string } & Probe) => {
      if (message.type === 'probe') resolve(message);
    });
    child.once('exit', (code) => reject(new Error(`the probe exited (${code}) before reporting`)));
  });
  child.kill();
  rmSync(probe.userData, { recursive: true, force: true });

  expect(probe.beforeReady).toEqual({
    session: 'Session can only be received when app is ready',
    browserWindow: 'Cannot create BrowserWindow before app is ready',
    screen: "The 'screen' module can't be used before the app 'ready' event",
    protocolHandle: 'Session can only be received when app is ready',
  });
  expect(probe.afterReady).toEqual({
    session: 'allowed',
    browserWindow: 'allowed',
    screen: 'allowed',
    protocolHandle: 'allowed',
  });
  expect(probe.readyBeforeEvaluated).toBe(false);
  expect(probe.secondHandler).toBe("Attempted to register a second handler for 'orgs.list'");
  expect(probe.userData.startsWith(tmpdir())).toBe(true);
  expect(probe.userDataEntries).toEqual([]);
});
