import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import type { Org } from '../../shared/contract/orgs';
import { MONTH, seedOwnerAndBilling, writeUsage } from './billing-setup';
import { cli } from './console-server';
import { expect, saveScreens, signIn, test } from './fixtures';

/**
 * The owner and billing-setup's world, plus what makes text order and number order differ: Initech's Delta costs
 * $112.50 (as text "$112.50" sorts before "$18.00"), a cheap model whose cost is below a cent, and
 * Umbrella, an org with no activity at all.
 */
function seedTables(dataDir: string): Record<'acme' | 'globex', Org> {
  const orgs = seedOwnerAndBilling(dataDir);
  cli(dataDir, ['org', 'create', '--name', 'Initech', '--slug', 'initech', '--rate', '150.00']);
  cli(dataDir, ['org', 'create', '--name', 'Umbrella', '--slug', 'umbrella', '--rate', '10.00']);
  cli(dataDir, ['agent', 'create', '--name', 'Delta', '--handle', 'delta']);
  cli(dataDir, ['agent', 'assign', 'delta', '--org', 'initech', '--at', '2026-08-01T00:00:00Z']);
  cli(dataDir, [
    'price',
    'set',
    'cheap-model',
    '--input',
    '10.00',
    '--output',
    '10.00',
    '--from',
    '2026-01-01',
  ]);
  cli(dataDir, ['usage', 'import', writeUsage(dataDir)]);
  const extra = join(dataDir, 'initech-usage.csv');
  // Delta: 45M input tokens of gpt-4o = $112.50; 1,250 tokens of cheap-model = $0.0125.
  writeFileSync(
    extra,
    [
      'timestamp,agent,model,input_tokens,output_tokens',
      '2026-09-15T10:00:00Z,delta,gpt-4o,45000000,0',
      '2026-09-15T11:00:00Z,delta,cheap-model,1250,0',
    ].join('\n'),
  );
  cli(dataDir, ['usage', 'import', extra]);
  return orgs;
}

let seededOrgs: Record<'acme' | 'globex', Org>;
test.beforeEach(({ dataDir, seeded }) => {
  seededOrgs = seeded(dataDir, seedTables);
});

/** The first cell's text of each row that has a given kind of button (orgs: "Show agents of …"). */
async function orgOrder(table: Locator): Promise<string[]> {
  const names = await table.getByRole('button', { name: /^(Show|Hide) agents of / }).all();
  return Promise.all(
    names.map(
      async (button) =>
        (await button.getAttribute('aria-label'))?.replace(/^(Show|Hide) agents of /, '') ?? '',
    ),
  );
}

test('the margins table sorts by exact amounts, and the sort, month and org survive a reload, Back and a pasted link', async ({
  page,
  server,
}) => {
  test.slow();
  await signIn(page, server.url);

  // A pasted link names the month.
  await page.goto(`${server.url}/#/billing?month=${MONTH}`);
  await expect(page.getByRole('combobox', { name: 'Month' })).toHaveValue(MONTH);
  const table = page.getByRole('table', { name: 'Margins by organization' });
  await expect(table.getByRole('button', { name: 'Show agents of Initech' })).toBeVisible();
  await expect.poll(() => orgOrder(table)).toEqual(['Acme Corp', 'Globex', 'Initech']);

  // Cost: largest first, as numbers ($112.50 > $25.00 > $18.00), not as text.
  const cost = table.getByRole('columnheader', { name: 'Cost' });
  await cost.click();
  await expect(cost).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => orgOrder(table)).toEqual(['Initech', 'Acme Corp', 'Globex']);
  await expect(page).toHaveURL(/sort=-cost/);
  // Keyboard: the header is a button; Enter turns the order round.
  await cost.getByRole('button').focus();
  await page.keyboard.press('Enter');
  await expect(cost).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(() => orgOrder(table)).toEqual(['Globex', 'Acme Corp', 'Initech']);
  // Margin: Initech (-15.0 %... of $150) above Acme? Acme 68.8 %, Initech 25.0 %, Globex -44.0 %.
  await table.getByRole('columnheader', { name: 'Margin' }).click();
  await expect.poll(() => orgOrder(table)).toEqual(['Acme Corp', 'Initech', 'Globex']);
  await table.getByRole('columnheader', { name: 'Revenue' }).click();
  await expect.poll(() => orgOrder(table)).toEqual(['Initech', 'Acme Corp', 'Globex']);
  await cost.click();
  await expect(page).toHaveURL(/sort=-cost/);

  // A reload keeps the sort and the month.
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Month' })).toHaveValue(MONTH);
  await expect(table.getByRole('columnheader', { name: 'Cost' })).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => orgOrder(table)).toEqual(['Initech', 'Acme Corp', 'Globex']);

  // Away and Back.
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Agents' })
    .click();
  await expect(page.getByRole('heading', { name: 'Agents', level: 2 })).toBeVisible();
  await page.goBack();
  await expect(table.getByRole('columnheader', { name: 'Cost' })).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => orgOrder(table)).toEqual(['Initech', 'Acme Corp', 'Globex']);
  await expect(page.getByRole('combobox', { name: 'Month' })).toHaveValue(MONTH);

  // A pasted link in another tab names the org by its slug: the switcher follows it.
  const other = await page.context().newPage();
  await other.goto(`${server.url}/#/billing?month=${MONTH}&in=acme&sort=-cost`);
  await expect(other.getByRole('combobox', { name: 'Organization', exact: true })).toHaveValue('Acme Corp');
  const acmeOnly = other.getByRole('table', { name: 'Margins by organization' });
  await expect.poll(() => orgOrder(acmeOnly)).toEqual(['Acme Corp']);
  // Choosing another org in the switcher writes it into the address.
  await other.getByRole('combobox', { name: 'Organization', exact: true }).click();
  await other.getByRole('option', { name: 'All organizations' }).click();
  await expect(other).toHaveURL(/in=all/);
  await expect.poll(() => orgOrder(acmeOnly)).toEqual(['Initech', 'Acme Corp', 'Globex']);
  await other.close();
});

test('the billing page opens unattributed usage by agent and day, folds idle orgs, sorts models by cost, and lines agents up under their org', async ({
  page,
  server,
}) => {
  test.slow();
  await signIn(page, server.url);
  await page.goto(`${server.url}/#/billing?month=${MONTH}`);
  const table = page.getByRole('table', { name: 'Margins by organization' });

  // Umbrella and the MSP's own org had nothing this month: folded under "No activity".
  const quiet = table.getByRole('row', { name: /No activity/ });
  await expect(quiet).toContainText('2 organizations without revenue or usage this month');
  await expect(table.getByText('Umbrella', { exact: true })).toHaveCount(0);
  await quiet.getByRole('button', { name: 'Show organizations without activity' }).click();
  await expect(table.getByRole('row', { name: /Umbrella/ })).toContainText('$0.00');

  // Unattributed usage: Gamma's $2.50 of 10 September, before it joined Globex.
  await table.getByRole('button', { name: 'Show unattributed usage by agent' }).click();
  const gamma = table.getByRole('row', { name: /Gamma @gamma/ });
  await expect(gamma).toContainText('$2.50');
  await expect(gamma).toContainText('1 day');
  await gamma.getByRole('button', { name: 'Show days of Gamma' }).click();
  const day = table.getByRole('row', { name: /2026-09-10/ });
  await expect(day).toContainText('$2.50');
  await expect(day).toContainText('1,000,000 tokens');

  // An org's agents sit in the org's columns: the agent's cost lines up under the org's.
  await table.getByRole('button', { name: 'Show agents of Acme Corp' }).click();
  const acmeCost = table
    .getByRole('row', { name: /Acme Corp/ })
    .getByRole('cell')
    .nth(4);
  const alphaCost = table
    .getByRole('row', { name: /Open Alpha/ })
    .getByRole('cell')
    .nth(4);
  await expect(alphaCost).toHaveText('$21.00');
  const [orgBox, agentBox] = [await acmeCost.boundingBox(), await alphaCost.boundingBox()];
  expect(agentBox?.x).toBe(orgBox?.x);
  expect(agentBox?.width).toBe(orgBox?.width);

  // Cost by model: most costly first; money to the cent, every digit in the tooltip.
  const models = page.getByRole('table', { name: 'Cost by model' });
  await expect(models.getByRole('columnheader', { name: 'Cost' })).toHaveAttribute('aria-sort', 'descending');
  await expect(models.locator('tbody tr').first()).toContainText('gpt-4o');
  const cheap = models
    .getByRole('row', { name: /cheap-model/ })
    .getByRole('cell')
    .last();
  await expect(cheap).toHaveText('$0.01');
  await expect(cheap).toHaveAttribute('title', '$0.0125');

  // The trend's axis names the year in full.
  const trend = page.getByRole('img', { name: /Revenue, cost and margin, 12 months to September 2026/ });
  await expect(trend).toContainText('Sep 2026');

  await table.scrollIntoViewIfNeeded();
  await saveScreens(page, 'tables-billing');
});

test('the Agents page shows each agent’s month and rate, sorts by cost as a number, and keeps its view in the address', async ({
  page,
  server,
}) => {
  test.slow();
  const { acme } = seededOrgs;
  await signIn(page, server.url);
  await page.goto(`${server.url}/#/agents?month=${MONTH}`);
  const table = page.getByRole('table', { name: 'Agents' });
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(4);
  const alpha = table.getByRole('row', { name: /Alpha/ });
  await expect(alpha).toContainText('$40.00 · org rate');
  await expect(alpha).toContainText('$21.00');
  await expect(alpha).toContainText('6,600,000');
  await expect(alpha).toContainText('47.5%');
  await expect(table.getByRole('row', { name: /Delta/ })).toContainText('Initech');

  // Cost, largest first, as numbers: Delta $112.51, Alpha $21.00, Gamma $20.50 (with its unattributed day), Beta $4.00.
  const cost = table.getByRole('columnheader', { name: 'Cost' });
  await cost.click();
  await expect(cost).toHaveAttribute('aria-sort', 'descending');
  await expect(rows.nth(0)).toContainText('Delta');
  await expect(rows.nth(1)).toContainText('Alpha');
  await expect(rows.nth(2)).toContainText('Gamma');
  await expect(rows.nth(3)).toContainText('Beta');
  await expect(page).toHaveURL(/sort=-cost/);

  // Search and status in the address too: a reload keeps all of it.
  await page.getByLabel('Search agents').fill('a');
  await expect(page).toHaveURL(/q=a/);
  await page.reload();
  await expect(page.getByLabel('Search agents')).toHaveValue('a');
  await expect(page.getByRole('combobox', { name: 'Month' })).toHaveValue(MONTH);
  await expect(table.getByRole('columnheader', { name: 'Cost' })).toHaveAttribute('aria-sort', 'descending');
  await expect(rows.nth(0)).toContainText('Delta');
  await saveScreens(page, 'tables-agents');

  // The org's Agents tab, by its slug; an old id link opens the same org.
  await page.goto(`${server.url}/#/orgs/acme/agents?month=${MONTH}&sort=-cost`);
  const tab = page.getByRole('table', { name: 'Agents of Acme Corp' });
  await expect(tab.locator('tbody tr').nth(0)).toContainText('Alpha');
  await expect(tab.locator('tbody tr').nth(0)).toContainText('$21.00');
  await expect(tab.locator('tbody tr').nth(1)).toContainText('$4.00');
  await saveScreens(page, 'tables-org-agents');
  await page.goto(`${server.url}/#/orgs/${acme.id}`);
  await expect(page.getByRole('heading', { name: 'Acme Corp', level: 2 })).toBeVisible();
  await page.getByRole('tab', { name: /Agents/ }).click();
  await expect(page).toHaveURL(/#\/orgs\/acme\/agents$/);
});

test('a drawer’s table sorts too: an agent’s models by exact cost and by name, the sort kept in the address', async ({
  page,
  server,
}) => {
  test.slow();
  await signIn(page, server.url);
  await page.goto(`${server.url}/#/billing?month=${MONTH}`);
  const margins = page.getByRole('table', { name: 'Margins by organization' });
  await margins.getByRole('button', { name: 'Show agents of Initech' }).click();
  await margins.getByRole('button', { name: 'Open Delta' }).click();
  const models = page.getByRole('dialog').getByRole('table', { name: 'Tokens by model in Initech' });
  const names = models.locator('tbody tr td:first-child');
  // $112.50 before $0.0125: amounts, not text.
  await expect(models.getByRole('columnheader', { name: 'Cost' })).toHaveAttribute('aria-sort', 'descending');
  await expect(names).toHaveText(['gpt-4o', 'cheap-model']);
  await models.getByRole('columnheader', { name: 'Cost' }).getByRole('button').click();
  await expect(names).toHaveText(['cheap-model', 'gpt-4o']);
  await expect(page).toHaveURL(/agentModels=cost/);
  await models.getByRole('columnheader', { name: 'Input tokens' }).getByRole('button').click();
  // 45,000,000 before 1,250: counts as numbers, largest first.
  await expect(names).toHaveText(['gpt-4o', 'cheap-model']);
  await models.getByRole('columnheader', { name: 'Model' }).getByRole('button').click();
  await expect(names).toHaveText(['cheap-model', 'gpt-4o']);
  await expect(page).toHaveURL(/agentModels=model/);
  await saveScreens(page, 'tables-agent-drawer');
});
