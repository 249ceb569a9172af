import type { Page } from '@playwright/test';
import type { Org } from '../../shared/contract/orgs';
import { MONTH, seedOwnerAndBilling, writeUsage } from './billing-setup';
import { cli } from './console-server';
import { dismissToasts, expect, saveScreen, signIn, test } from './fixtures';

let seededOrgs: Record<'acme' | 'globex', Org>;
test.beforeEach(({ dataDir, seeded }) => {
  seededOrgs = seeded(dataDir, seedOwnerAndBilling);
});

/** Light and dark, at 1440 and 1024 px wide. */
async function screens(page: Page, name: string) {
  for (const width of [1440, 1024]) {
    await page.setViewportSize({ width, height: 900 });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await saveScreen(page, `${name}-${width}-${scheme}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function pickMonth(page: Page) {
  await page.getByRole('combobox', { name: 'Month' }).click();
  await page.getByRole('option', { name: MONTH, exact: true }).click();
}

test('a usage markup set in the console bills imported usage: revenue split into agent and usage fees', async ({
  page,
  server,
  dataDir,
}) => {
  test.slow();
  const { acme } = seededOrgs;
  await signIn(page, server.url);
  await page.goto(`${server.url}/#/orgs/${acme.id}/billing`);
  await pickMonth(page);

  const terms = page.getByRole('form', { name: 'Usage terms' });
  await terms.getByLabel('Usage markup').fill('20');
  // Dated back to September: the console says so, and warns that it rewrites past months.
  await terms.getByLabel('From when').fill('2026-09-01');
  await expect(terms).toContainText('Changes revenue of September 2026 on, including months already past');
  await terms.getByRole('button', { name: 'Save usage terms' }).click();
  await expect(page.getByText('Acme Corp’s usage terms changed.')).toBeVisible();

  const markup = page.getByRole('form', { name: 'Model markup' });
  await markup.getByLabel('Model').fill('gpt-4o');
  await markup.getByLabel('Its markup').fill('50');
  await markup.getByLabel('From when').fill('2026-09-10');
  await markup.getByRole('button', { name: 'Set model markup' }).click();
  await expect(page.getByText('gpt-4o’s markup for Acme Corp is set.')).toBeVisible();
  const history = page.getByRole('table', { name: 'Billing terms history' });
  await expect(history).toContainText('Markup on gpt-4o');
  await expect(history).toContainText('Usage markup');

  cli(dataDir, ['usage', 'import', writeUsage(dataDir)]);
  // By hand (billing-setup.ts): Alpha's six records cost $3.50 each, Beta's four $1.00 each. From 10
  // September gpt-4o is at 50 %, before at the org's 20 %:
  // Alpha 4 × 3.50 × 1.2 + 2 × 3.50 × 1.5 = 16.80 + 10.50 = $27.30; Beta 3 × 1.2 + 1 × 1.5 = $5.10.
  // Usage fees $32.40; with the agents' 2 × $40: $112.40.
  await page.goto(`${server.url}/#/billing`);
  await dismissToasts(page);
  await pickMonth(page);
  const table = page.getByRole('table', { name: 'Margins by organization' });
  const row = table.getByRole('row').filter({ hasText: 'Acme Corp' });
  await expect(row).toContainText('$112.40');
  await expect(row).toContainText('$80.00 agents + $32.40 usage');
  await expect(page.getByRole('group', { name: 'Revenue' })).toContainText('usage $32.40');
  await row.getByRole('button', { name: 'Show agents of Acme Corp' }).click();
  // The org's agents open as rows of the same table, under its columns.
  await expect(table.getByRole('row', { name: /Alpha/ })).toContainText('$27.30');
  await expect(table.getByRole('row', { name: /Beta/ })).toContainText('$5.10');
  await screens(page, 'billing-usage-fees');

  const report = JSON.parse(cli(dataDir, ['report', 'margins', '--month', MONTH, '--json']));
  const org = report.orgs.find((candidate: { slug: string }) => candidate.slug === 'acme');
  expect(org).toMatchObject({ revenue_agents: '80.00', revenue_usage: '32.40', revenue: '112.40' });

  await page.goto(`${server.url}/#/orgs/${acme.id}/billing`);
  // The import ran outside the browser (the CLI): load the page afresh.
  await page.reload();
  await pickMonth(page);
  await expect(page.getByRole('region', { name: 'Usage rebilling' })).toContainText('20% markup');
  await expect(page.getByRole('group', { name: 'Revenue' })).toContainText('$112.40');
  await screens(page, 'org-usage-terms');
});
