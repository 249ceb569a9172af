// Measures each page's cold load in Chromium against `orgdeck serve` over the demo install
// (`npm run build` first): for every page, a fresh browser context (empty cache, signed-in cookie)
// opens the page's address, and the time runs until its content shows with no skeleton left.
// Prints a table of the median and worst of RUNS loads per page, and the machine's load average.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';
import type { Org } from '../shared/contract/orgs';
import { CONSOLE_PAGES, pagePath, pageReady } from '../test/e2e/console-pages';
import { cli, startConsole } from '../test/e2e/console-server';
import { seedDemo } from '../test/e2e/demo-seed';
import { signIn } from '../test/e2e/fixtures';

const RUNS = Number(process.env.RUNS ?? 5);
const BUDGET_MS = 500;
/** How long one look at the page may keep retrying; see pageShown. */
const LOOK_MS = 250;

/**
 * Waits for a page's content, looking every 50 ms or so. Playwright's assertions, once they have
 * waited a quarter second, look only every 500 ms: a page that shows its content at 520 ms would be
 * timed at up to 1,000. Short assertions, repeated, keep looking at the shorter interval (and look
 * no more often, so the looking itself does not slow the page).
 */
async function pageShown(page: Page, ready: (page: Page, timeout?: number) => Promise<void>) {
  const deadline = performance.now() + 15_000;
  for (;;) {
    try {
      await pageReady(page, ready, LOOK_MS);
      return;
    } catch (error) {
      if (performance.now() > deadline) throw error;
    }
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'orgdeck-page-load-'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: CHROMIUM_ARGS,
});
let over = 0;
try {
  seedDemo(dataDir);
  const acme = JSON.parse(cli(dataDir, ['org', 'show', 'acme-corp', '--json'])) as Org;
  const server = await startConsole(dataDir);
  try {
    const signInPage = await browser.newPage();
    await signIn(signInPage, server.url);
    const storageState = await signInPage.context().storageState();
    await signInPage.close();

    console.log(
      `load average before: ${loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}`,
    );
    console.log(`${'page'.padEnd(16)} ${'median ms'.padStart(10)} ${'worst ms'.padStart(10)}`);
    for (const target of CONSOLE_PAGES) {
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const context = await browser.newContext({ storageState, viewport: { width: 1440, height: 900 } });
        const page = await context.newPage();
        const started = performance.now();
        await page.goto(`${server.url}/#${pagePath(target.path, acme.id)}`);
        await pageShown(page, target.ready);
        times.push(performance.now() - started);
        await context.close();
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)] ?? 0;
      const worst = times.at(-1) ?? 0;
      if (median > BUDGET_MS) over++;
      console.log(
        `${target.name.padEnd(16)} ${median.toFixed(0).padStart(10)} ${worst.toFixed(0).padStart(10)}${median > BUDGET_MS ? '  over 500 ms' : ''}`,
      );
    }
    console.log(
      `load average after: ${loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await server.stop();
  }
} finally {
  await browser.close();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exitCode = over > 0 ? 1 : 0;
