import type { Org } from '../../shared/contract/orgs';
import { CONSOLE_PAGES, pagePath, pageReady } from './console-pages';
import { cli } from './console-server';
import { seedDemo } from './demo-seed';
import { expect, signIn, test } from './fixtures';

test.describe.configure({ timeout: 300_000 });

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, seedDemo));

// A page opened cold asks for its data while its code loads (route-data.ts); the page must then use
// those answers, not ask again as it mounts and draw its rows a second time.
test('a page opened cold asks the server for each piece of its data once', async ({
  browser,
  page,
  server,
  dataDir,
}) => {
  const acme = JSON.parse(cli(dataDir, ['org', 'show', 'acme-corp', '--json'])) as Org;
  await signIn(page, server.url);
  const storageState = await page.context().storageState();
  for (const target of CONSOLE_PAGES) {
    const context = await browser.newContext({ storageState });
    const cold = await context.newPage();
    const asked: string[] = [];
    cold.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith('/api/')) asked.push(`${pathname} ${request.postData() ?? ''}`);
    });
    await cold.goto(`${server.url}/#${pagePath(target.path, acme.id)}`);
    await pageReady(cold, target.ready);
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
