import type { Page } from '@playwright/test';
import { seedOwnerAndBilling } from './billing-setup';
import { cli } from './console-server';
import { expect, signIn, test } from './fixtures';

test.describe.configure({ timeout: 90_000 });

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, seedOwnerAndBilling));

const switcher = (page: Page) => page.getByRole('combobox', { name: 'Organization', exact: true });

async function open(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: label }).click();
  await expect(page.getByRole('heading', { name: label, level: 2 })).toBeVisible();
}

test('the org chosen in the switcher is the one every page covers, until it is deleted', async ({
  page,
  server,
  dataDir,
}) => {
  await signIn(page, server.url);
  await switcher(page).click();
  await page.getByRole('option', { name: 'Globex', exact: true }).click();

  await open(page, 'Agents');
  const agents = page.getByRole('table', { name: 'Agents' });
  await expect(agents).toContainText('Gamma');
  await expect(agents).not.toContainText('Alpha');
  await expect(page.getByText('Globex · 1 agent', { exact: true })).toBeVisible();

  await open(page, 'Guardrails');
  await expect(page.getByRole('heading', { name: 'No policies in Globex yet' })).toBeVisible();

  await open(page, 'Billing');
  await expect(page.getByText('Revenue, cost and margin of Globex, per agent and month.')).toBeVisible();

  await open(page, 'Knowledge');
  await expect(page.getByRole('tab', { name: 'Globex' })).toBeVisible();

  // Deleted since: the choice falls back to every org, on the switcher and on the pages alike.
  cli(dataDir, ['agent', 'unassign', 'gamma']);
  cli(dataDir, ['org', 'delete', 'globex', '--confirm', 'globex']);
  await page.reload();
  await expect(switcher(page)).toHaveValue('All organizations');
  await open(page, 'Agents');
  await expect(page.getByText('All organizations · 3 agents', { exact: true })).toBeVisible();
  await open(page, 'Guardrails');
  await expect(page.getByRole('heading', { name: 'Coverage across organizations' })).toBeVisible();
});
