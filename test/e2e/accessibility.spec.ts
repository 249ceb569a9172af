import type { Page } from '@playwright/test';
import type { Org } from '../../shared/contract/orgs';
import { CONSOLE_PAGES, pagePath, pageReady } from './console-pages';
import { cli } from './console-server';
import { seedDemo } from './demo-seed';
import { expect, expectAccessible, saveScreen, sidewaysScrolling, signIn, test } from './fixtures';

// Seeding the demo install runs the CLI some thirty times; every page is then checked four ways.
test.describe.configure({ timeout: 600_000 });

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, seedDemo));

/** Signs in as the demo's owner; gives a page's address over the demo install (Acme by its id). */
async function signInToDemo(page: Page, url: string, dataDir: string) {
  const acme = JSON.parse(cli(dataDir, ['org', 'show', 'acme-corp', '--json'])) as Org;
  await signIn(page, url);
  return (path: string) => `${url}/#${pagePath(path, acme.id)}`;
}

test('every page passes the WCAG 2 A and AA checks in light and dark, and shows its tables whole, at 1440 and 1024 px', async ({
  page,
  server,
  dataDir,
}) => {
  const address = await signInToDemo(page, server.url, dataDir);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: width === 1440 ? 900 : 768 });
      for (const target of CONSOLE_PAGES) {
        await page.goto(address(target.path));
        // Skeletons gone: the check reads the page's content, not its placeholders.
        await pageReady(page, target.shows);
        await expectAccessible(page, `${target.name} (${scheme}, ${width} px)`);
        expect.soft(await sidewaysScrolling(page), `tables scrolling sideways on ${target.name}`).toEqual([]);
        await saveScreen(page, `a11y-${target.name}-${scheme}-${width}`);
      }
    }
  }
});

// A page opened cold asks for its data while its code loads (route-data.ts); the page must then use
// those answers, not ask again as it mounts and draw its rows a second time.
test('a page opened cold asks the server for each piece of its data once', async ({
  browser,
  page,
  server,
  dataDir,
}) => {
  const address = await signInToDemo(page, server.url, dataDir);
  const storageState = await page.context().storageState();
  for (const target of CONSOLE_PAGES) {
    const context = await browser.newContext({ storageState });
    const cold = await context.newPage();
    const asked: string[] = [];
    cold.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith('/api/')) asked.push(`${pathname} ${request.postData() ?? ''}`);
    });
    await cold.goto(address(target.path));
    // What is asked is checked here, not how fast: a cold load on a busy 2-core machine takes seconds.
    await pageReady(cold, target.shows, 20_000);
    expect.soft(asked.length, `${target.name} asks for nothing`).toBeGreaterThan(0);
    expect
      .soft(
        asked.filter((call, index) => asked.indexOf(call) !== index),
        `asked again on ${target.name}`,
      )
      .toEqual([]);
    await context.close();
  }
});
