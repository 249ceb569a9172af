import type { Org } from '../../shared/contract/orgs';
import { CONSOLE_PAGES, pagePath, pageReady } from './console-pages';
import { cli } from './console-server';
import { seedDemo } from './demo-seed';
import { expect, expectAccessible, saveScreen, sidewaysScrolling, signIn, test } from './fixtures';

// Seeding the demo install runs the CLI some thirty times; every page is then checked four ways.
test.describe.configure({ timeout: 600_000 });

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, seedDemo));

test('every page passes the WCAG 2 A and AA checks in light and dark, and shows its tables whole, at 1440 and 1024 px', async ({
  page,
  server,
  dataDir,
}) => {
  const acme = JSON.parse(cli(dataDir, ['org', 'show', 'acme-corp', '--json'])) as Org;
  await signIn(page, server.url);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: width === 1440 ? 900 : 768 });
      for (const target of CONSOLE_PAGES) {
        await page.goto(`${server.url}/#${pagePath(target.path, acme.id)}`);
        // Skeletons gone: the check reads the page's content, not its placeholders.
        await pageReady(page, target.ready);
        await expectAccessible(page, `${target.name} (${scheme}, ${width} px)`);
        expect.soft(await sidewaysScrolling(page), `tables scrolling sideways on ${target.name}`).toEqual([]);
        await saveScreen(page, `a11y-${target.name}-${scheme}-${width}`);
      }
    }
  }
});
