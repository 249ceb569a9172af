// Measures each page's cold load in Chromium against `orgdeck serve` over the demo install
// (`npm run build` first): for every page, a fresh browser context (empty cache, signed-in cookie)
// opens the page's address, and the time runs from the start of the navigation to the first frame
// that shows the page's content with no skeleton left, on the page's own clock (page-shown.ts).
// The driver waits for the page's own note of that frame before it looks for the content itself, so
// its looking does not slow the load it times. Prints a table of the median and worst of RUNS loads
// per page, the median as the driver saw it (its round trips and its own look included), when the
// page's first data request left (median), and the machine's load average.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';
import type { Org } from '../shared/contract/orgs';
import { CONSOLE_PAGES, pagePath, pageReady } from '../test/e2e/console-pages';
import { cli, startConsole } from '../test/e2e/console-server';
import { seedDemo } from '../test/e2e/demo-seed';
import { signIn } from '../test/e2e/fixtures';
import { shownAt, watchPagesFor } from '../test/e2e/page-shown';
import { loadAverageText, medianOf } from './measure';

const RUNS = Number(process.env.RUNS ?? 5);
const BUDGET_MS = 500;
/** PAGES=orgs,settings times those pages alone (names as the table prints them). */
const pages = process.env.PAGES?.split(',');
const unknown = pages?.filter((name) => !CONSOLE_PAGES.some((target) => target.name === name)) ?? [];
if (unknown.length > 0) {
  console.error(
    `No page named ${unknown.join(', ')}: the pages are ${CONSOLE_PAGES.map((target) => target.name).join(', ')}.`,
  );
  process.exit(2);
}
/** When the page asked for its first data, on its own clock: start-up sends those before the UI kit's code loads. */
const firstDataRequestAt = (page: Page) =>
  page.evaluate(() =>
    Math.min(
      ...performance
        .getEntriesByType('resource')
        .filter((entry) => new URL(entry.name).pathname.startsWith('/api/'))
        .map((entry) => entry.startTime),
    ),
  );

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

    console.log(`load average before: ${loadAverageText()}`);
    console.log(
      `${'page'.padEnd(16)} ${'median ms'.padStart(10)} ${'worst ms'.padStart(10)} ${'driver ms'.padStart(10)} ${'data ms'.padStart(10)}`,
    );
    for (const target of CONSOLE_PAGES.filter((each) => !pages || pages.includes(each.name))) {
      const shown: number[] = [];
      const driverSaw: number[] = [];
      const dataAsked: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const context = await browser.newContext({ storageState, viewport: { width: 1440, height: 900 } });
        await watchPagesFor(context, target.shows);
        const page = await context.newPage();
        const started = performance.now();
        await page.goto(`${server.url}/#${pagePath(target.path, acme.id)}`);
        shown.push(await shownAt(page));
        // The driver's own look, once the page has timed itself: the marker is really there.
        await pageReady(page, target.shows);
        driverSaw.push(performance.now() - started);
        dataAsked.push(await firstDataRequestAt(page));
        await context.close();
      }
      const median = medianOf(shown);
      const worst = Math.max(...shown);
      if (median > BUDGET_MS) over++;
      console.log(
        `${target.name.padEnd(16)} ${median.toFixed(0).padStart(10)} ${worst.toFixed(0).padStart(10)} ${medianOf(driverSaw).toFixed(0).padStart(10)} ${medianOf(dataAsked).toFixed(0).padStart(10)}${median > BUDGET_MS ? '  over 500 ms' : ''}`,
      );
    }
    console.log(`load average after: ${loadAverageText()}`);
  } finally {
    await server.stop();
  }
} finally {
  await browser.close();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exitCode = over > 0 ? 1 : 0;
