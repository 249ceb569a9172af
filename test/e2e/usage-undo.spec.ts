import { MONTH, seedBilling, writeUsage } from './billing-setup';
import { cli, initOwner } from './console-server';
import { dismissToasts, expect, saveScreen, signIn, test } from './fixtures';

test.beforeEach(({ dataDir }) => initOwner(dataDir));

test('an import is undone from the import history, after a confirmation, and the month’s cost goes', async ({
  page,
  server,
  dataDir,
}) => {
  test.slow();
  seedBilling(dataDir);
  cli(dataDir, ['usage', 'import', writeUsage(dataDir)]);
  await signIn(page, server.url);
  await page.goto(`${server.url}/#/billing/usage`);

  const history = page.getByRole('table', { name: 'Recent imports' });
  await history.getByRole('row', { name: /september-usage\.csv/ }).click();
  const job = page.getByRole('region', { name: 'Import job' });
  await expect(job).toContainText('18 imported');

  // Cancelling the confirmation changes nothing.
  await job.getByRole('button', { name: 'Undo import' }).click();
  const dialog = page.getByRole('dialog', { name: 'Undo the import of september-usage.csv?' });
  await expect(dialog).toContainText('Its 18 imported rows leave every month');
  await page.setViewportSize({ width: 1440, height: 900 });
  await saveScreen(page, 'usage-undo-confirm');
  await dialog.getByRole('button', { name: 'Keep it' }).click();
  await expect(dialog).toBeHidden();
  await expect(job.getByText('Import undone')).toBeHidden();

  await job.getByRole('button', { name: 'Undo import' }).click();
  await dialog.getByRole('button', { name: 'Undo import' }).click();
  await expect(page.getByText('The import of september-usage.csv was undone.')).toBeVisible();
  await expect(job.getByText('Import undone')).toBeVisible();
  await expect(job.getByRole('button', { name: 'Undo import' })).toHaveCount(0);
  await expect(history.getByRole('row', { name: /september-usage\.csv/ })).toContainText('Undone');
  await dismissToasts(page);
  await saveScreen(page, 'usage-undo-done-1440');
  await page.emulateMedia({ colorScheme: 'dark' });
  await saveScreen(page, 'usage-undo-done-1440-dark');
  await page.setViewportSize({ width: 1024, height: 800 });
  await saveScreen(page, 'usage-undo-done-1024-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await saveScreen(page, 'usage-undo-done-1024');

  const report = JSON.parse(cli(dataDir, ['report', 'margins', '--month', MONTH, '--format', 'json'])) as {
    totals: { cost: string };
  };
  expect(report.totals.cost).toBe('0.000000');
});
