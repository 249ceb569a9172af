import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { Org } from '../../shared/contract/orgs';
import { cli, createUser, initOwner } from './console-server';
import { dismissToasts, expect, expectAccessible, saveScreen, saveScreens, signIn, test } from './fixtures';

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, initOwner));

const now = new Date();
const MONTH_NAME = new Intl.DateTimeFormat('en-US', {
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
}).format(now);
/** This UTC month, as the address names it. */
const MONTH = now.toISOString().slice(0, 7);
const MONTH_ONLY = new Intl.DateTimeFormat('en-US', { month: 'long', timeZone: 'UTC' }).format(now);

/** Acme Corp with a $10.00 budget, Alpha in it since before this month, gpt-4o at $2.50 per 1M input tokens. */
function seed(dataDir: string): Org {
  cli(dataDir, [
    'org',
    'create',
    '--name',
    'Acme Corp',
    '--slug',
    'acme',
    '--rate',
    '40.00',
    '--budget',
    '10.00',
  ]);
  cli(dataDir, ['agent', 'create', '--name', 'Alpha', '--handle', 'alpha']);
  cli(dataDir, ['agent', 'assign', 'alpha', '--org', 'acme', '--at', '2026-01-01T00:00:00Z']);
  cli(dataDir, ['price', 'set', 'gpt-4o', '--input', '2.50', '--output', '10.00', '--from', '2026-01-01']);
  return JSON.parse(cli(dataDir, ['org', 'show', 'acme', '--json'])) as Org;
}

const bell = (page: Page) => page.getByRole('banner').getByRole('button', { name: /^Budget alerts/ });

test('an import that takes an org past 80 % of its budget rings the bell, and the alert links to the org’s month', async ({
  page,
  server,
  dataDir,
}) => {
  test.slow();
  const acme = seed(dataDir);
  // 3.4M input tokens a minute ago: $8.50 of the $10.00 budget, 85 %.
  const file = join(dataDir, 'this-month.csv');
  const at = new Date(Math.max(now.getTime() - 60_000, Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)));
  writeFileSync(
    file,
    `timestamp,agent,model,input_tokens,output_tokens\n${at.toISOString()},alpha,gpt-4o,3400000,0\n`,
  );

  await signIn(page, server.url);
  await expect(bell(page)).toHaveAccessibleName('Budget alerts: none open');

  await page.goto(`${server.url}/#/billing/usage`);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Usage file' }).click();
  await (await chooser).setFiles(file);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Import job' }).getByText('Import finished')).toBeVisible();
  await dismissToasts(page);

  // The bell counts the alert; its list opens from the keyboard and names the share used.
  await expect(bell(page)).toHaveAccessibleName('Budget alerts: 1 open');
  await bell(page).focus();
  await page.keyboard.press('Enter');
  const list = page.getByRole('dialog', { name: 'Budget alerts' });
  const link = list.getByRole('link', {
    name: `Acme Corp: 85% of the ${MONTH_ONLY} budget used (alert at 80%)`,
  });
  await expect(link).toBeVisible();
  await expect(link).toHaveAttribute('href', `#/orgs/${acme.id}/billing?month=${MONTH}`);
  await expectAccessible(page, 'the open alert list');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      await expect(link).toBeVisible();
      await saveScreen(page, `budget-alert-bell-${scheme}-${width}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  // Escape from inside the list closes it and gives the focus back to the bell.
  await link.focus();
  await page.keyboard.press('Escape');
  await expect(list).toBeHidden();
  await expect(bell(page)).toBeFocused();

  await bell(page).click();
  await link.click();
  await expect(page).toHaveURL(new RegExp(`#/orgs/${acme.id}/billing\\?month=${MONTH}$`));
  const tab = page.getByRole('tabpanel', { name: 'Billing' });
  await expect(tab.getByRole('heading', { name: `Acme Corp · ${MONTH_NAME}` })).toBeVisible();
  const budget = tab.getByRole('region', { name: 'Budget' });
  await expect(budget.getByText('85% of budget')).toBeVisible();
  await expect(budget.getByRole('img', { name: /^Pace marker/ })).toBeVisible();
  await expect(budget).toContainText('Forecast $');
  await expect(page.getByRole('group', { name: 'Cost', exact: true })).toContainText('To date');
  await expect(page.getByRole('group', { name: 'Cost', exact: true })).toContainText('Forecast');
  await expectAccessible(page, 'the org’s billing tab with a forecast');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      await saveScreen(page, `budget-forecast-${scheme}-${width}`);
    }
  }

  // The owner sends alerts to a team server's webhook from Settings; the delivery log is theirs.
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${server.url}/#/settings`);
  const hook = page.getByRole('form', { name: 'Budget alert webhook' });
  await hook.getByLabel('URL').fill('https://hooks.example.com/orgdeck');
  await hook.getByLabel('Signing secret').fill('short');
  await hook.getByRole('button', { name: 'Save webhook' }).click();
  await expect(hook).toContainText('A signing secret is at least 16 characters');
  await hook.getByLabel('Signing secret').fill('a-long-shared-secret-for-e2e');
  await hook.getByRole('button', { name: 'Save webhook' }).click();
  await expect(hook).toContainText('A secret is set and never shown again');
  await expect(page.getByRole('region', { name: 'Budget alert webhook' })).toContainText('Nothing sent yet');
  await dismissToasts(page);
  await expectAccessible(page, 'settings with the alert webhook');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      await saveScreen(page, `budget-webhook-${scheme}-${width}`);
    }
  }
  expect(JSON.parse(cli(dataDir, ['alerts', 'webhook', '--json']))).toEqual({
    url: 'https://hooks.example.com/orgdeck',
    has_secret: true,
  });

  // The CLI lists the same alert.
  const alerts = JSON.parse(cli(dataDir, ['alerts', '--json']));
  expect(alerts).toMatchObject([{ org: { slug: 'acme' }, kind: 'actual', threshold: 80, budget_use: 0.85 }]);
});

test('a billing admin sets an org’s budget and its alerts from its billing tab', async ({
  page,
  server,
  dataDir,
}) => {
  const acme = seed(dataDir);
  const BILLING_ADMIN = { email: 'bea@msp.test', name: 'Bea Billing', password: 'bea passphrase 1' };
  createUser(dataDir, BILLING_ADMIN, { role: 'billing_admin' });
  await signIn(page, server.url, BILLING_ADMIN);
  await page.goto(`${server.url}/#/orgs/${acme.slug}/billing?month=${MONTH}`);
  const budget = page.getByRole('tabpanel', { name: 'Billing' }).getByRole('region', { name: 'Budget' });
  // The form holds the org's budget once it has loaded: only then is it the one typed over.
  await expect(budget.getByLabel('Budget per month')).toHaveValue('10.00');
  await budget.getByLabel('Budget per month').fill('25.00');
  await budget.getByRole('button', { name: 'Save budget' }).click();
  // The card shows what was saved (its toast can come and go before a loaded machine looks).
  await expect(budget).toContainText('of $25.00');
  await budget.getByLabel('Alert at (% of budget)').fill('50, 90');
  await budget.getByRole('button', { name: 'Save alerts' }).click();
  await expect(budget).toContainText('alerts at 50%, 90%.');
  await dismissToasts(page);
  await saveScreens(page, 'budget-billing-admin');
  expect(JSON.parse(cli(dataDir, ['org', 'show', 'acme', '--json']))).toMatchObject({
    budget: '25.00',
    alertThresholds: [50, 90],
  });
});
