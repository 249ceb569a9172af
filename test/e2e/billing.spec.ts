import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { Org } from '../../shared/contract/orgs';
import { MONTH, seedOwnerAndBilling, writeUsage } from './billing-setup';
import { cli } from './console-server';
import { expect, saveScreen, signIn, test } from './fixtures';

let seededOrgs: Record<'acme' | 'globex', Org>;
test.beforeEach(({ dataDir, seeded }) => {
  seededOrgs = seeded(dataDir, seedOwnerAndBilling);
});

async function openBilling(page: Page) {
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Billing' })
    .click();
  await expect(page.getByRole('heading', { name: 'Billing', level: 2 })).toBeVisible();
}

async function pickMonth(page: Page, month: string) {
  await page.getByRole('combobox', { name: 'Month' }).click();
  await page.getByRole('option', { name: month, exact: true }).click();
  await expect(page.getByRole('combobox', { name: 'Month' })).toHaveValue(month);
}

const card = (page: Page, name: string) => page.getByRole('group', { name, exact: true });

test('a usage file imported in the UI gives per-org and per-agent margins, an agent drill-down and a CSV', async ({
  page,
  server,
  dataDir,
}) => {
  test.slow();
  const file = writeUsage(dataDir);
  await signIn(page, server.url);
  await openBilling(page);

  // Import: upload in chunks, then the background job with its progress bar and counters.
  await page.getByRole('tab', { name: 'Usage import' }).click();
  await expect(page).toHaveURL(/#\/billing\/usage$/);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Usage file' }).click();
  await (await chooser).setFiles(file);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const job = page.getByRole('region', { name: 'Import job' });
  await expect(job.getByText('Import finished')).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Upload progress' })).toHaveAttribute(
    'aria-valuenow',
    '100',
  );
  await expect(job.getByRole('progressbar', { name: 'Import progress' })).toHaveAttribute(
    'aria-valuenow',
    '100',
  );
  await expect(job).toContainText('18 imported, 0 already there (skipped), 2 bad.');
  await expect(job).toContainText(/Rows read\s*20/);
  // Grouped by what is wrong, then by line on request.
  await expect(job.getByRole('list', { name: 'Problems' }).getByRole('listitem')).toHaveText([
    /^1 row: timestamp must be ISO 8601 with a time zone/,
    /^1 row: no agent with the handle "nobody"\s*Create agent\s*Map to an agent$/,
  ]);
  await job.getByText('Bad rows by line').click();
  const bad = job.getByRole('table', { name: 'Bad rows' });
  await expect(bad.getByRole('row')).toHaveText([
    /Line\s*Reason/,
    /^5\s*timestamp must be ISO 8601 with a time zone/,
    /^12\s*no agent with the handle "nobody"/,
  ]);
  await expect(page.getByRole('table', { name: 'Recent imports' }).getByRole('row')).toHaveCount(2);
  await expect(page.getByRole('table', { name: 'Recent imports' })).toContainText('september-usage.csv');
  await saveScreen(page, 'billing-import-progress');

  // Margins for September, computed by hand in billing-setup.ts.
  await page.getByRole('tab', { name: 'Margins' }).click();
  await pickMonth(page, MONTH);
  await expect(card(page, 'Revenue')).toContainText('$92.50');
  await expect(card(page, 'Cost')).toContainText('$45.50');
  await expect(card(page, 'Margin')).toContainText('50.8%');
  await expect(card(page, 'Margin')).toContainText('$47.00 after cost');
  await expect(card(page, 'Unpriced tokens')).toContainText('30,000');
  await expect(card(page, 'Unpriced tokens')).toContainText('Set prices');

  const table = page.getByRole('table', { name: 'Margins by organization' });
  const orgRow = (name: string) =>
    table.getByRole('row').filter({ has: page.getByRole('button', { name: `Show agents of ${name}` }) });
  await expect(orgRow('Acme Corp').getByRole('cell')).toHaveText([
    '',
    'Acme Corp',
    '2',
    '$80.00',
    '$25.00',
    '68.8%',
    '30,000',
    'No budget',
  ]);
  await expect(orgRow('Globex').getByRole('cell')).toHaveText([
    '',
    'Globex',
    '1',
    '$12.50',
    '$18.00',
    '-44.0%',
    '0',
    'No budget',
  ]);
  await expect(orgRow('Globex').getByLabel('Low margin')).toBeVisible();
  await expect(orgRow('Acme Corp').getByLabel('Low margin')).toHaveCount(0);
  await expect(table.getByRole('row', { name: /Unattributed usage/ })).toContainText('$2.50');
  await expect(table.getByRole('row', { name: /Unattributed usage/ })).toContainText('1,000,000 tokens');
  await expect(table.getByRole('row', { name: 'Totals' }).getByRole('cell')).toHaveText([
    '',
    'Total',
    '3',
    '$92.50',
    '$45.50',
    '50.8%',
    '30,000',
    '',
  ]);
  const models = page.getByRole('table', { name: 'Cost by model' });
  await expect(models.getByRole('row', { name: /gpt-4o/ })).toContainText('$45.50');
  await expect(models.getByRole('row', { name: /mystery-model/ })).toContainText('Unpriced');
  await expect(
    page.getByRole('img', { name: /Revenue, cost and margin, 12 months to September 2026/ }),
  ).toBeVisible();

  // Into Acme's agents, in the org's own columns, then Beta's month.
  await page.getByRole('button', { name: 'Show agents of Acme Corp' }).click();
  const agents = table;
  await expect(agents.getByRole('row', { name: /Alpha/ }).getByRole('cell')).toHaveText([
    '',
    'Alpha @alpha',
    '',
    '$40.00',
    '$21.00',
    '47.5%',
    '0',
    '',
  ]);
  await expect(agents.getByRole('row', { name: /Beta/ }).getByRole('cell')).toHaveText([
    '',
    'Beta @beta',
    '',
    '$40.00',
    '$4.00',
    '90.0%',
    '30,000',
    '',
  ]);
  await saveScreen(page, 'billing-overview');
  await page.emulateMedia({ colorScheme: 'dark' });
  await saveScreen(page, 'billing-overview-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  await agents.getByRole('button', { name: 'Open Beta' }).click();
  const drawer = page.getByRole('dialog', { name: /Beta/ });
  const stay = drawer.getByRole('region', { name: 'In Acme Corp' });
  await expect(stay).toContainText(/Days assigned\s*30\.00/);
  await expect(stay).toContainText(/Rate \/ month\s*\$40\.00/);
  await expect(stay).toContainText(/Revenue\s*\$40\.00/);
  await expect(stay).toContainText(/Cost\s*\$4\.00/);
  await expect(stay).toContainText(/Margin\s*90\.0%/);
  const byModel = stay.getByRole('table', { name: 'Tokens by model in Acme Corp' });
  await expect(byModel.getByRole('row', { name: /gpt-4o/ }).getByRole('cell')).toHaveText([
    'gpt-4o',
    '800,000',
    '200,000',
    '$4.00',
  ]);
  await expect(byModel.getByRole('row', { name: /mystery-model/ }).getByRole('cell')).toHaveText([
    /mystery-model\s*Unpriced/,
    '20,000',
    '10,000',
    '$0.00',
  ]);
  await saveScreen(page, 'billing-agent-drawer');
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();

  // What is on screen, as a CSV file.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = await download;
  expect(csv.suggestedFilename()).toBe(`orgdeck-margins-${MONTH}.csv`);
  const lines = readFileSync((await csv.path()) as string, 'utf8')
    .trimEnd()
    .split('\r\n');
  expect(lines[0]).toBe(
    'month,level,org,org_slug,agent,agent_handle,agents_billed,revenue_usd,revenue_agents_usd,revenue_usage_usd,minimum_topup_usd,cost_usd,margin,input_tokens,output_tokens,unpriced_tokens,budget_usd,budget_state',
  );
  expect(lines).toContain(
    '2026-09,org,Acme Corp,acme,,,2,80.00,80.00,0.00,0.00,25.000000,0.6875,6820000,810000,30000,,',
  );
  expect(lines).toContain(
    '2026-09,agent,Acme Corp,acme,Alpha,alpha,,40.00,40.00,0.00,,21.000000,0.475,6000000,600000,0,,',
  );
  expect(lines).toContain(
    '2026-09,agent,Acme Corp,acme,Beta,beta,,40.00,40.00,0.00,,4.000000,0.9,820000,210000,30000,,',
  );
  expect(lines).toContain(
    '2026-09,org,Globex,globex,,,1,12.50,12.50,0.00,0.00,18.000000,-0.44,4000000,800000,0,,',
  );
  expect(lines).toContain('2026-09,unattributed,,,,,,,,,,2.500000,,1000000,0,0,,');
  expect(lines.at(-1)).toBe('2026-09,total,,,,,3,92.50,92.50,0.00,0.00,45.500000,0.5081,,,30000,,');
  // Platform (the owner org), Acme with 2 agents, Globex with 1, unattributed, total, and the header.
  expect(lines).toHaveLength(1 + 1 + 3 + 2 + 1 + 1);

  // The same numbers as the CLI's report.
  const report = JSON.parse(cli(dataDir, ['report', 'margins', '--month', MONTH, '--format', 'json']));
  // Alpha, Beta and Gamma are billed; Beta's 2 × 15k tokens of mystery-model have no price.
  expect(report.totals).toEqual({
    revenue: '92.50',
    revenue_agents: '92.50',
    revenue_usage: '0.00',
    minimum_topup: '0.00',
    cost: '45.500000',
    margin: 0.5081,
    agents_billed: 3,
    unpriced_tokens: 30000,
    // September is over: no forecast.
    forecast: null,
  });
});

test('an org’s Billing tab shows its month and keeps a budget with its 80 % and 100 % states', async ({
  page,
  server,
  dataDir,
}) => {
  test.slow();
  const { acme, globex } = seededOrgs;
  cli(dataDir, ['usage', 'import', writeUsage(dataDir)]);
  await signIn(page, server.url);

  await page.goto(`${server.url}/#/orgs/${acme.id}/billing`);
  const panel = page.getByRole('tabpanel', { name: 'Billing' });
  await pickMonth(page, MONTH);
  await expect(panel.getByRole('heading', { name: 'Acme Corp · September 2026' })).toBeVisible();
  await expect(card(page, 'Revenue')).toContainText('$80.00');
  await expect(card(page, 'Cost')).toContainText('$25.00');
  await expect(card(page, 'Margin')).toContainText('68.8%');
  await expect(panel.getByRole('table', { name: 'Agents of Acme Corp' }).getByRole('row')).toHaveCount(3);

  const budget = panel.getByRole('region', { name: 'Budget' });
  await expect(budget).toContainText('No budget');
  const field = budget.getByLabel('Budget per month');
  await field.fill('30.123');
  await budget.getByRole('button', { name: 'Save budget' }).click();
  await expect(budget).toContainText('A budget is an amount in USD with at most 2 decimals');
  await field.fill('30');
  await budget.getByRole('button', { name: 'Save budget' }).click();
  // $25.00 of $30.00 is 83.3 %: past the 80 % warning, and the badge says how much is used.
  await expect(budget.getByText('83% of budget')).toBeVisible();
  await expect(budget).toContainText('September 2026: $25.00 of $30.00');
  await expect(budget).toContainText('83.3%');
  await expect(field).toHaveValue('30.00');
  expect(JSON.parse(cli(dataDir, ['org', 'show', 'acme', '--json'])).budget).toBe('30.00');
  await saveScreen(page, 'billing-org-budget');

  // Agent drill-down from the tab.
  await panel.getByRole('button', { name: 'Open Alpha' }).click();
  await expect(
    page.getByRole('dialog', { name: /Alpha/ }).getByRole('table', { name: 'Tokens by model in Acme Corp' }),
  ).toContainText('$21.00');
  await page.keyboard.press('Escape');

  await page.goto(`${server.url}/#/orgs/${globex.id}/billing`);
  await expect(panel.getByRole('heading', { name: 'Globex · September 2026' })).toBeVisible();
  await budget.getByLabel('Budget per month').fill('15.00');
  await budget.getByRole('button', { name: 'Save budget' }).click();
  await expect(budget.getByText('120% of budget')).toBeVisible();
  await expect(budget).toContainText('$18.00 of $15.00');

  // The Billing page shows both states; "Open in Billing" selects the org in the switcher.
  await panel.getByRole('button', { name: 'Open in Billing' }).click();
  await expect(page).toHaveURL(/#\/billing\?(.*&)?in=globex/);
  await expect(page.getByRole('combobox', { name: 'Organization', exact: true })).toHaveValue('Globex');
  const table = page.getByRole('table', { name: 'Margins by organization' });
  await expect(table.getByRole('row', { name: /Globex/ }).first()).toContainText('120% of budget');
  await expect(table).not.toContainText('Acme Corp');
  await page.getByRole('combobox', { name: 'Organization', exact: true }).click();
  await page.getByRole('option', { name: 'All organizations' }).click();
  await expect(table.getByRole('row').filter({ hasText: 'Acme Corp' }).first()).toContainText(
    '83% of budget',
  );

  // Removing the budget clears its state.
  await page.goto(`${server.url}/#/orgs/${acme.id}/billing`);
  await budget.getByRole('button', { name: 'Remove budget' }).click();
  await expect(budget.getByText('No budget')).toBeVisible();
  expect(JSON.parse(cli(dataDir, ['org', 'show', 'acme', '--json'])).budget).toBeNull();

  // This month, Gamma spends $25.00 of Globex's $15.00 (166.6 %): the org list flags it.
  const now = join(dataDir, 'this-month.csv');
  writeFileSync(
    now,
    `timestamp,agent,model,input_tokens,output_tokens\n${new Date().toISOString()},gamma,gpt-4o,10000000,0\n`,
  );
  cli(dataDir, ['usage', 'import', now]);
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Organizations' })
    .click();
  const orgs = page.getByRole('table', { name: 'Organizations' });
  await expect(orgs.getByRole('row', { name: /Globex/ })).toContainText('166% of budget');
  await expect(orgs.getByRole('row', { name: /Acme Corp/ })).not.toContainText('budget');
});

test('a usage file over 512 KiB goes up in chunks, and importing it again skips every row', async ({
  page,
  server,
  dataDir,
}) => {
  test.slow();
  // 12,000 records of Alpha in October 2026, one a minute: about 640 KB, so two chunks.
  const start = Date.parse('2026-10-01T00:00:00Z');
  const rows = Array.from(
    { length: 12_000 },
    (_, i) => `${new Date(start + i * 60_000).toISOString()},alpha,gpt-4o,1000,100`,
  );
  const file = join(dataDir, 'october-usage.csv');
  writeFileSync(file, `timestamp,agent,model,input_tokens,output_tokens\n${rows.join('\n')}\n`);
  const chunks: number[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/uploads.chunk')) chunks.push(request.postDataJSON().offset);
  });

  await signIn(page, server.url);
  await page.goto(`${server.url}/#/billing/usage`);
  const job = page.getByRole('region', { name: 'Import job' });
  for (const round of [1, 2]) {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Usage file' }).click();
    await (await chooser).setFiles(file);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    // The second time every row is already in: nothing new, which is no failure either.
    await expect(job.getByText(round === 1 ? 'Import finished' : 'Nothing new')).toBeVisible({
      timeout: 30_000,
    });
    await expect(job).toContainText(
      round === 1
        ? '12,000 imported, 0 already there (skipped), 0 bad.'
        : 'Every row was already there: 12,000 rows skipped.',
    );
  }
  expect(chunks).toEqual([0, 512 * 1024, 0, 512 * 1024]);
  await expect(page.getByRole('table', { name: 'Recent imports' }).getByRole('row')).toHaveCount(3);

  // 12,000 × (1,000 × $2.50 + 100 × $10.00) per 1M = 12,000 × $0.0035 = $42.00 in October.
  await page.getByRole('tab', { name: 'Margins' }).click();
  await pickMonth(page, '2026-10');
  await expect(card(page, 'Cost')).toContainText('$42.00');
});
