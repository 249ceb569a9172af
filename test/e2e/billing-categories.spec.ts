import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { MONTH, seedOwnerAndBilling } from './billing-setup';
import { cli } from './console-server';
import { expect, saveScreen, signIn, test } from './fixtures';

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, seedOwnerAndBilling));

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

test('cost by token category and cache savings on the margins page and in the agent drawer', async ({
  page,
  server,
  dataDir,
}) => {
  test.slow();
  cli(dataDir, [
    'price',
    'set',
    'claude-x',
    '--input',
    '3',
    '--output',
    '15',
    '--rate',
    'cache_read=0.30',
    '--rate',
    'cache_write=3.75',
    '--rate',
    'input>200000=6',
    '--from',
    '2026-01-01',
  ]);
  // By hand: a prompt of 1,300,000 tokens (input, cache reads and writes) is above the 200,000 band,
  // so input 100,000 × $6 = $0.60; the band names no other price, so below it: cache reads
  // 1,000,000 × $0.30 = $0.30; cache writes 200,000 × $3.75 = $0.75; output 15,000 × $15 = $0.225;
  // reasoning 5,000 × $15 (no reasoning price: the output price) = $0.075. $1.95 in all; cache reads
  // saved 1,000,000 × ($6 − $0.30) = $5.70.
  const file = join(dataDir, 'usage.jsonl');
  writeFileSync(
    file,
    `${JSON.stringify({
      timestamp: '2026-09-02T10:00:00Z',
      agent: 'alpha',
      model: 'claude-x',
      input_tokens: 100_000,
      output_tokens: 20_000,
      cache_read_tokens: 1_000_000,
      cache_write_tokens: 200_000,
      reasoning_tokens: 5_000,
    })}\n`,
  );
  cli(dataDir, ['usage', 'import', file]);

  await signIn(page, server.url);
  await page.goto(`${server.url}/#/billing`);
  await page.getByRole('combobox', { name: 'Month' }).click();
  await page.getByRole('option', { name: MONTH, exact: true }).click();
  const categories = page.getByRole('region', { name: 'Cost by token category' });
  await expect(categories).toContainText(/Input\s*\$0\.60/);
  await expect(categories).toContainText(/Cache reads\s*\$0\.30/);
  await expect(categories).toContainText(/Cache writes\s*\$0\.75/);
  await expect(categories).toContainText(/Output\s*\$0\.225/);
  await expect(categories).toContainText(/Reasoning\s*\$0\.075/);
  await expect(categories).toContainText(/Cache savings\s*\$5\.70/);
  await expect(categories).toContainText(/claude-x \(.*reasoning at the output price\)/);
  await screens(page, 'billing-categories');

  await page.getByRole('button', { name: 'Show agents of Acme Corp' }).click();
  await page
    .getByRole('table', { name: 'Margins by organization' })
    .getByRole('button', { name: 'Open Alpha' })
    .click();
  const stay = page.getByRole('dialog', { name: /Alpha/ }).getByRole('region', { name: 'In Acme Corp' });
  await expect(stay).toContainText(/Cost\s*\$1\.95/);
  await expect(stay).toContainText(/Cache savings\s*\$5\.70/);
  await expect(stay).toContainText('1,000,000 cache-read, 200,000 cache-write and 5,000 reasoning tokens');
  await screens(page, 'billing-categories-drawer');
  await page.keyboard.press('Escape');

  // The price editor shows the rates and takes a new one.
  await page.goto(`${server.url}/#/billing/prices`);
  await page.getByRole('button', { name: 'Set a new price for claude-x' }).click();
  const modal = page.getByRole('dialog', { name: 'Set price' });
  await expect(modal.getByRole('group', { name: /^Rate / })).toHaveCount(3);
  await modal.getByRole('button', { name: 'Add a rate' }).click();
  const added = modal.getByRole('group', { name: 'Rate 4' });
  await added.getByRole('combobox', { name: 'Category' }).click();
  await page.getByRole('option', { name: 'Reasoning' }).click();
  await added.getByRole('textbox', { name: 'USD per 1M tokens' }).fill('12');
  await screens(page, 'billing-price-rates');
  await modal.getByRole('button', { name: 'Set price' }).click();
  await expect(modal).toBeHidden();
  await expect(page.getByRole('table', { name: 'Model prices' })).toContainText('reasoning $12.00');
});
