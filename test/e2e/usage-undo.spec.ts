import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MONTH, seedBilling, writeUsage } from './billing-setup';
import { cli, initOwner } from './console-server';
import { dismissToasts, expect, saveScreen, signIn, test } from './fixtures';

const ANTHROPIC = join(import.meta.dirname, '../fixtures/usage-exports/anthropic-messages-usage.json');

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, initOwner));

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

test('a provider export that replaced an earlier one is undone, and the earlier counts are back', async ({
  page,
  server,
  dataDir,
}) => {
  test.slow();
  cli(dataDir, ['org', 'create', '--name', 'Acme Corp', '--slug', 'acme', '--rate', '40.00']);
  cli(dataDir, ['agent', 'create', '--name', 'Support Bot', '--handle', 'support-bot']);
  cli(dataDir, ['agent', 'assign', 'support-bot', '--org', 'acme', '--at', '2026-09-01T00:00:00Z']);
  cli(dataDir, [
    'price',
    'set',
    'claude-sonnet-4-5-20250929',
    '--input',
    '3',
    '--output',
    '15',
    '--from',
    '2026-01-01',
  ]);
  cli(dataDir, [
    'agent',
    'alias',
    'add',
    'support-bot',
    '--source',
    'anthropic',
    '--kind',
    'api_key',
    '--value',
    'apikey_01Support',
  ]);
  const first = JSON.parse(readFileSync(ANTHROPIC, 'utf8'));
  writeFileSync(join(dataDir, 'october.json'), JSON.stringify(first));
  cli(dataDir, ['usage', 'import', join(dataDir, 'october.json')]);
  const october = () =>
    (
      JSON.parse(cli(dataDir, ['report', 'margins', '--month', '2026-10', '--format', 'json'])) as {
        totals: { cost: string };
      }
    ).totals.cost;
  const before = october();
  // The month downloaded again: 1 October's standard bucket grew.
  first.data[0].results[0].uncached_input_tokens = 115_000;
  writeFileSync(join(dataDir, 'october-later.json'), JSON.stringify(first));
  cli(dataDir, ['usage', 'import', join(dataDir, 'october-later.json')]);
  // 100,000 more input tokens at $3 per million.
  expect(Number(october()) - Number(before)).toBeCloseTo(0.3, 6);

  await signIn(page, server.url);
  await page.goto(`${server.url}/#/billing/usage`);
  const history = page.getByRole('table', { name: 'Recent imports' });
  await history.getByRole('row', { name: /october-later\.json/ }).click();
  const job = page.getByRole('region', { name: 'Import job' });
  await job.getByRole('button', { name: 'Undo import' }).click();
  const dialog = page.getByRole('dialog', { name: 'Undo the import of october-later.json?' });
  await expect(dialog).toContainText(
    'Where this export replaced the counts of an earlier one, those counts are back.',
  );
  await page.setViewportSize({ width: 1440, height: 900 });
  await saveScreen(page, 'usage-undo-export-confirm-1440');
  await page.emulateMedia({ colorScheme: 'dark' });
  await saveScreen(page, 'usage-undo-export-confirm-1440-dark');
  await page.setViewportSize({ width: 1024, height: 800 });
  await saveScreen(page, 'usage-undo-export-confirm-1024-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await saveScreen(page, 'usage-undo-export-confirm-1024');
  await dialog.getByRole('button', { name: 'Undo import' }).click();
  await expect(page.getByText('The import of october-later.json was undone.')).toBeVisible();
  await expect(job.getByText('Import undone')).toBeVisible();
  expect(october()).toBe(before);
});
