import type { Page } from '@playwright/test';
import type { Org } from '../../shared/contract/orgs';
import { cli } from './console-server';
import { seedDemo } from './demo-seed';
import { expect, expectAccessible, saveScreen, signIn, test } from './fixtures';

// Seeding the demo install runs the CLI some thirty times; every page is then checked four ways.
test.describe.configure({ timeout: 600_000 });

/** Every page of the console, with what shows once its content has loaded. */
const PAGES: { name: string; path: string; ready: (page: Page) => Promise<void> }[] = [
  {
    name: 'orgs',
    path: '/orgs',
    ready: (page) => expect(page.getByRole('table', { name: 'Organizations' })).toContainText('Wayne Legal'),
  },
  {
    name: 'org-overview',
    path: '/orgs/acme-corp', // the slug, swapped for the id below
    ready: (page) => expect(page.getByRole('heading', { name: 'Acme Corp', level: 2 })).toBeVisible(),
  },
  {
    name: 'agents',
    path: '/agents',
    ready: (page) => expect(page.getByRole('table', { name: 'Agents' })).toContainText('Onboarding Guide'),
  },
  {
    name: 'billing',
    path: '/billing',
    ready: (page) => expect(page.getByRole('table', { name: 'Margins by organization' })).toBeVisible(),
  },
  {
    name: 'billing-prices',
    path: '/billing/prices',
    ready: (page) => expect(page.getByRole('table', { name: 'Model prices' })).toContainText('claude'),
  },
  {
    name: 'billing-usage',
    path: '/billing/usage',
    ready: (page) => expect(page.getByRole('tab', { name: 'Usage import' })).toBeVisible(),
  },
  {
    name: 'knowledge',
    path: '/knowledge',
    ready: (page) => expect(page.getByRole('heading', { name: 'Knowledge', level: 2 })).toBeVisible(),
  },
  {
    name: 'guardrails',
    path: '/guardrails',
    ready: (page) => expect(page.getByRole('heading', { name: 'Choose an organization' })).toBeVisible(),
  },
  {
    name: 'audit',
    path: '/audit',
    ready: (page) => expect(page.getByRole('table', { name: 'Audit entries' })).toBeVisible(),
  },
  {
    name: 'users',
    path: '/users',
    ready: (page) => expect(page.getByRole('table').first()).toContainText('Olivia Owner'),
  },
  {
    name: 'settings',
    path: '/settings',
    ready: (page) => expect(page.getByRole('heading', { name: 'Settings', level: 2 })).toBeVisible(),
  },
  {
    name: 'tokens',
    path: '/tokens',
    ready: (page) => expect(page.getByRole('heading', { name: 'API tokens', level: 2 })).toBeVisible(),
  },
];

test('every page passes the WCAG 2 A and AA checks in light and dark, at 1440 and 1024 px', async ({
  page,
  server,
  dataDir,
}) => {
  seedDemo(dataDir);
  const acme = JSON.parse(cli(dataDir, ['org', 'show', 'acme-corp', '--json'])) as Org;
  await signIn(page, server.url);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: width === 1440 ? 900 : 768 });
      for (const target of PAGES) {
        await page.goto(`${server.url}/#${target.path.replace('acme-corp', acme.id)}`);
        await target.ready(page);
        // Skeletons gone: the check reads the page's content, not its placeholders.
        await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
        await expectAccessible(page, `${target.name} (${scheme}, ${width} px)`);
        await saveScreen(page, `a11y-${target.name}-${scheme}-${width}`);
      }
    }
  }
});
