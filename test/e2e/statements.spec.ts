import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { logoPng } from '../fixtures/png';
import { seedOwnerAndBilling, writeUsage } from './billing-setup';
import { cli, createUser } from './console-server';
import { dismissToasts, expect, expectAccessible, saveScreen, signIn, test } from './fixtures';

const BILL = { email: 'bill@acme.test', name: 'Bill Billing', password: 'bill passphrase 1' };
const SCREENS = join(import.meta.dirname, '../../test-results/screens');

async function screens(page: Page, name: string) {
  for (const width of [1440, 1024]) {
    await page.setViewportSize({ width, height: 900 });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await saveScreen(page, `${name}-${width}-${scheme}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1440, height: 900 });
}

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, seedOwnerAndBilling));

test('close a month in the console, download its PDF; the client sees the statement, never cost or margin', async ({
  browser,
  page,
  server,
  dataDir,
}) => {
  // Two accessibility scans and eight screenshots on a shared machine: more than a slow test's time.
  test.setTimeout(300_000);
  cli(dataDir, ['usage', 'import', writeUsage(dataDir)]);
  // Acme rebills its usage with a 20 % markup: $25.00 of September's gpt-4o at cost is charged $30.00.
  cli(dataDir, ['org', 'update', 'acme', '--usage-markup', '20', '--from', '2026-09-01']);
  createUser(dataDir, BILL, { role: 'user', org: 'acme', pages: 'billing' });
  cli(dataDir, ['member', 'add', BILL.email, '--org', 'acme', '--role', 'billing']);

  // The MSP's details and logo, in Settings.
  await signIn(page, server.url);
  await page.goto(`${server.url}/#/settings`);
  const details = page.getByRole('form', { name: 'Statements' });
  await details.getByLabel('Business name').fill('Northwind Managed AI');
  await details.getByLabel('Address').fill('12 Harbour Street\nBristol BS1 4DJ\nUnited Kingdom');
  await details.getByRole('button', { name: 'Save statement details' }).click();
  await expect(page.getByText('Statements are numbered ST-YYYY-NNNN.')).toBeVisible();
  const logoFile = join(dataDir, 'logo.png');
  writeFileSync(logoFile, logoPng());
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Upload logo' }).click();
  await (await chooser).setFiles(logoFile);
  await expect(page.getByRole('img', { name: 'Your logo, as statements show it' })).toBeVisible();
  await dismissToasts(page);

  // Close September.
  await page.goto(`${server.url}/#/billing/statements`);
  await expect(page.getByText('No statements yet')).toBeVisible();
  await page.getByRole('button', { name: 'Close month' }).click();
  const dialog = page.getByRole('dialog', { name: 'Close month' });
  await dialog.getByRole('combobox', { name: 'Month' }).click();
  await page.getByRole('option', { name: 'September 2026' }).click();
  await dialog.getByRole('button', { name: 'Close September 2026' }).click();
  await expect(page.getByText('September 2026: 2 statements issued')).toBeVisible();
  await dismissToasts(page);
  const rows = page.getByRole('row');
  await expect(rows.filter({ hasText: 'ST-2026-0001' })).toContainText(/Acme Corp.*\$110\.00/);
  await expect(rows.filter({ hasText: 'ST-2026-0002' })).toContainText(/Globex.*\$12\.50/);
  await expectAccessible(page, 'statements tab');
  await screens(page, 'statements-tab');

  // Download its PDF, keep a copy to look at, and render the first page.
  await page.getByRole('button', { name: 'Download ST-2026-0001' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: 'PDF' }).click();
  const pdf = await download;
  expect(pdf.suggestedFilename()).toBe('ST-2026-0001.pdf');
  const pdfPath = (await pdf.path()) as string;
  expect(readFileSync(pdfPath).subarray(0, 5).toString()).toBe('%PDF-');
  mkdirSync(SCREENS, { recursive: true });
  copyFileSync(pdfPath, join(SCREENS, 'statement-ST-2026-0001.pdf'));
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    '80',
    '-f',
    '1',
    '-l',
    '1',
    pdfPath,
    join(SCREENS, 'statement-pdf'),
  ]);
  // The PDF the console downloads is the one the CLI shows, byte for byte.
  const cliCopy = join(dataDir, 'cli.pdf');
  cli(dataDir, ['statement', 'show', 'ST-2026-0001', '--format', 'pdf', '--out', cliCopy]);
  expect(readFileSync(cliCopy).equals(readFileSync(pdfPath))).toBe(true);

  // Late usage for September: the statement stands, the difference, with its markup, waits for the next one.
  const late = join(dataDir, 'late-september.csv');
  writeFileSync(
    late,
    'timestamp,agent,model,input_tokens,output_tokens\n2026-09-29T09:00:00Z,alpha,gpt-4o,400000,0\n',
  );
  cli(dataDir, ['usage', 'import', late]);
  await page.reload();
  const pending = page.getByRole('table', { name: 'Pending adjustments' });
  await expect(pending.getByRole('row', { name: /Acme Corp/ })).toContainText(
    /September 2026.*AI usage: gpt-4o.*Late usage import late-september\.csv.*400,000.*\$1\.00.*\$1\.20/,
  );
  await saveScreen(page, 'statements-pending');
  cli(dataDir, ['statement', 'show', 'ST-2026-0001', '--format', 'pdf', '--out', cliCopy]);
  expect(readFileSync(cliCopy).equals(readFileSync(pdfPath))).toBe(true);

  // The client: its statement and usage, and not a word of cost or margin.
  const billContext = await browser.newContext();
  const bill = await billContext.newPage();
  await signIn(bill, server.url, BILL);
  await bill
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Billing' })
    .click();
  await expect(bill.getByRole('heading', { name: 'Billing', level: 2 })).toBeVisible();
  await expect(bill.getByRole('row').filter({ hasText: 'ST-2026-0001' })).toContainText('$110.00');
  await expect(bill.getByText('ST-2026-0002')).toHaveCount(0);
  await bill.getByRole('combobox', { name: 'Month' }).click();
  await bill.getByRole('option', { name: '2026-09' }).click();
  // September's usage as it stands now, the late import included.
  const usage = bill.getByRole('table', { name: 'Usage by agent and model' });
  await expect(usage.getByRole('row', { name: /Alpha.*gpt-4o/ })).toContainText(/7,000,000.*\$26\.40/);
  // …and said to differ from the statement the client holds, by what the next one carries.
  await expect(
    bill.getByText(
      'Billed on statement ST-2026-0001. The charges below differ from what was billed by +$1.20: the difference is on your next statement.',
    ),
  ).toBeVisible();
  await expect(bill.locator('body')).not.toContainText(/cost|margin|markup/i);
  await expectAccessible(bill, 'client billing');
  await screens(bill, 'statements-client');
  await bill.getByRole('button', { name: 'View ST-2026-0001' }).click();
  const view = bill.getByRole('dialog', { name: 'Statement ST-2026-0001' });
  await expect(view).toContainText('Agent Alpha (@alpha)');
  await expect(view).toContainText(/Total\s*\$110\.00/);
  await expect(bill.locator('body')).not.toContainText(/cost|margin|markup/i);
  await saveScreen(bill, 'statements-client-view');
  await bill.keyboard.press('Escape');

  // October closed: its statement carries September's late usage, and September's page says where.
  cli(dataDir, ['statement', 'close', '--month', '2026-10', '--org', 'acme']);
  await bill.reload();
  await bill.getByRole('combobox', { name: 'Month' }).click();
  await bill.getByRole('option', { name: '2026-09' }).click();
  await expect(
    bill.getByText(/^Billed on statement ST-2026-0001, with adjustments on ST-2026-\d{4}\.$/),
  ).toBeVisible();
  await screens(bill, 'statements-client-adjusted');
  await billContext.close();
});
