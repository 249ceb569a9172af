import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { cli, initOwner } from './console-server';
import { dismissToasts, expect, saveScreen, signIn, test } from './fixtures';

const ANTHROPIC = join(import.meta.dirname, '../fixtures/usage-exports/anthropic-messages-usage.json');

/** The owner, Acme Corp with Support Bot from September, and the Claude price the export names. */
function seedSupportBot(dataDir: string): void {
  initOwner(dataDir);
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
    '--rate',
    'cache_read=0.30',
    '--from',
    '2026-01-01',
  ]);
}

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, seedSupportBot));

/** Imports a file and waits for its result: `finished` names how it ended (an import of nothing is not a success). */
async function importFile(page: Page, file: string, finished = 'Import finished') {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Usage file' }).click();
  await (await chooser).setFiles(file);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const job = page.getByRole('region', { name: 'Import job' });
  await expect(job.getByRole('alert').filter({ hasText: finished })).toBeVisible();
  return job;
}

test('an Anthropic export is detected, its unmatched key mapped to an agent, and imported again', async ({
  page,
  server,
}) => {
  test.slow();
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, server.url);
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Billing' })
    .click();
  await page.getByRole('tab', { name: 'Usage import' }).click();

  const first = await importFile(page, ANTHROPIC, 'Nothing imported');
  await expect(first).toContainText('Anthropic usage report');
  await expect(first).toContainText('0 imported');
  await expect(first).toContainText('3 rows name no agent yet and were left out');
  const unmatched = first.getByRole('table', { name: 'Unmatched identities' });
  // apikey_01Support: 265,000 uncached input, 480,000 cache reads, 24,000 cache writes, 11,000 output.
  await expect(unmatched.getByRole('row')).toHaveText([
    /Identity\s*Rows\s*Input\s*Cache reads\s*Cache writes\s*Output/,
    /Anthropic API key\s*apikey_01Support\s*2\s*265,000\s*480,000\s*24,000\s*11,000\s*Map to an agent/,
    /Anthropic API key\s*apikey_01Triage\s*1\s*1,000\s*5,000\s*700\s*400\s*Map to an agent/,
  ]);
  await saveScreen(page, 'provider-import-unmatched');
  await page.emulateMedia({ colorScheme: 'dark' });
  await saveScreen(page, 'provider-import-unmatched-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1024, height: 800 });
  await saveScreen(page, 'provider-import-unmatched-1024');
  await page.setViewportSize({ width: 1440, height: 900 });

  await first.getByRole('button', { name: 'Map Anthropic API key apikey_01Support to an agent' }).click();
  const dialog = page.getByRole('dialog', { name: 'Map to an agent' });
  await dialog.getByRole('button', { name: 'Map', exact: true }).click();
  await expect(dialog.getByText('Choose the agent whose usage this is')).toBeVisible();
  await dialog.getByRole('combobox', { name: 'Agent' }).fill('support');
  await page.getByRole('option', { name: 'Support Bot (support-bot)' }).click();
  await dialog.getByRole('button', { name: 'Map', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('now counts as Support Bot. Import the file again')).toBeVisible();
  await dismissToasts(page);

  const second = await importFile(page, ANTHROPIC);
  await expect(second).toContainText('2 imported, 0 already there');
  await expect(second.getByRole('table', { name: 'Unmatched identities' }).getByRole('row')).toHaveCount(2);
  // Nothing new, and one key still unmapped: not a success.
  const third = await importFile(page, ANTHROPIC, 'Nothing imported');
  await expect(third).toContainText('0 imported, 2 already there');

  // October's margins price the mapped key's cache reads: 480,000 at $0.30 instead of the $3 input
  // price saved 480,000 × $2.70 per million = $1.296.
  await page.getByRole('tab', { name: 'Margins' }).click();
  await page.getByRole('combobox', { name: 'Month' }).click();
  await page.getByRole('option', { name: '2026-10', exact: true }).click();
  const categories = page.getByRole('region', { name: 'Cost by token category' });
  await expect(categories).toContainText(/Cache reads\s*\$0\.144/);
  await expect(categories).toContainText(/Cache savings\s*\$1\.296/);
  await saveScreen(page, 'provider-import-cache-savings');
  await page.emulateMedia({ colorScheme: 'dark' });
  await saveScreen(page, 'provider-import-cache-savings-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // The agent drawer's Usage identities tab lists the key, adds another and removes one after asking.
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Agents' })
    .click();
  await page
    .getByRole('table', { name: 'Agents' })
    .getByRole('row', { name: /Support Bot/ })
    .getByText('support-bot')
    .click();
  await page.getByRole('tab', { name: 'Usage identities' }).click();
  const identities = page.getByRole('table', { name: 'Usage identities' });
  await expect(identities).toContainText('apikey_01Support');
  const form = page.getByRole('form', { name: 'Add a usage identity' });
  await form.getByRole('button', { name: 'Add' }).click();
  await expect(form.getByText('The value is the id the export shows')).toBeVisible();
  await form.getByRole('combobox', { name: 'Source' }).click();
  await page.getByRole('option', { name: 'OpenAI' }).click();
  await form.getByRole('combobox', { name: 'Kind' }).click();
  await page.getByRole('option', { name: 'Project' }).click();
  await form.getByRole('textbox', { name: 'Value' }).fill('proj_support');
  await form.getByRole('button', { name: 'Add' }).click();
  await expect(identities.getByRole('row')).toHaveCount(3);
  await dismissToasts(page);
  await saveScreen(page, 'agent-usage-identities');
  await page.emulateMedia({ colorScheme: 'dark' });
  await saveScreen(page, 'agent-usage-identities-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1024, height: 800 });
  await saveScreen(page, 'agent-usage-identities-1024');

  await identities.getByRole('button', { name: 'Remove openai project proj_support' }).click();
  await page
    .getByRole('dialog', { name: 'Remove this identity?' })
    .getByRole('button', { name: 'Remove' })
    .click();
  await expect(identities.getByRole('row')).toHaveCount(2);
  await expect(identities).not.toContainText('proj_support');
});
