import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

// Debian's chromium, never a downloaded browser; the flags keep it off this machine's closed network.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Each new browser context opens a window whose omnibox popup, Chromium's own WebUI of some 400
  // files, loads alongside the page under test and takes the machine's cores from it. A user's
  // browser has it loaded long before they open the console: neither tests nor page-load count it.
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup',
];

// Every test starts `orgdeck serve` and most run the CLI: V8's compile cache spares each of those
// processes (and the server's worker threads) compiling the same bundle again.
process.env.NODE_COMPILE_CACHE ??= join(tmpdir(), 'orgdeck-e2e-compile-cache');

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/playwright',
  fullyParallel: true,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  // A whole story (sign in, several screens, a restart) runs 15–35 s on the 2-core machines CI uses,
  // and twice that on a slower one: the limit is for a test that hangs, not a speed goal.
  timeout: 60_000,
  expect: { timeout: 7_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
    viewport: { width: 1280, height: 800 },
    // The console then draws modals and toasts without their transitions: a click Playwright aims
    // at a modal still scaling in, on a loaded machine, landed beside its button (guardrails.spec).
    contextOptions: { reducedMotion: 'reduce' },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
