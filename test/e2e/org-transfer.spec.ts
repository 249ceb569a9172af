import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Org } from '../../shared/contract/orgs';
import { cli, createUser, initOwner } from './console-server';
import { expect, expectAccessible, saveScreen, saveScreens, signIn, test } from './fixtures';

// Six CLI runs set the stage, each starting a process: on a busy machine that alone takes seconds.
test.describe.configure({ timeout: 60_000 });

/** The month before this one, as YYYY-MM (UTC). */
function lastMonth(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

/** The owner and Acme Corp with two agents, a user, a runbook, and last month closed. */
function seedAcmeToExport(dataDir: string): void {
  initOwner(dataDir);
  cli(dataDir, ['org', 'create', '--name', 'Acme Corp', '--slug', 'acme', '--rate', '40.00']);
  for (const [name, handle] of [
    ['Support Bot', 'support-bot'],
    ['Sales Bot', 'sales-bot'],
  ] as const) {
    cli(dataDir, [
      'agent',
      'create',
      '--name',
      name,
      '--handle',
      handle,
      '--model',
      'gpt-4o',
      '--org',
      'acme',
    ]);
  }
  createUser(
    dataDir,
    { email: 'ops@acme.test', name: 'Acme Ops', password: 'a long enough passphrase' },
    { role: 'user', org: 'acme' },
  );
  const runbook = join(dataDir, 'runbook.md');
  writeFileSync(runbook, '# Runbook\n\nWhen the pager fires, escalate to the on-call lead.\n');
  cli(dataDir, ['knowledge', 'add', '--org', 'acme', '--title', 'Runbook', runbook]);
  // Created this month, it has nothing to bill for the last: closed all the same.
  cli(dataDir, ['statement', 'close', '--month', lastMonth(), '--org', 'acme']);
}

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, seedAcmeToExport));

test('an org exported from its page is imported as a new org, agents and all', async ({
  page,
  server,
  dataDir,
}) => {
  await signIn(page, server.url);
  await page.getByRole('table', { name: 'Organizations' }).getByRole('link', { name: 'Acme Corp' }).click();
  await expect(page.getByRole('heading', { name: 'Acme Corp', level: 2 })).toBeVisible();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export', exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^orgdeck-org-acme-\d{4}-\d{2}-\d{2}\.json$/);
  const file = join(dataDir, download.suggestedFilename());
  await download.saveAs(file);
  const archive = JSON.parse(readFileSync(file, 'utf8'));
  expect(archive).toMatchObject({ format: 'orgdeck-org-export', version: 1, org: { slug: 'acme' } });
  expect(archive.agents).toHaveLength(2);
  await expect(page.getByText(`Acme Corp is in ${download.suggestedFilename()}.`)).toBeVisible();

  // A second export within the minute is refused, saying when to retry.
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByText(/exported less than a minute ago: try again in \d+ seconds/)).toBeVisible();

  await page.getByRole('link', { name: 'Organizations' }).first().click();
  await page.getByRole('button', { name: 'Import org' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import an organization' });
  await expect(dialog.getByRole('button', { name: 'Upload and preview' })).toBeDisabled();
  await dialog.locator('input[type="file"]').setInputFiles(file);
  await dialog.getByRole('button', { name: 'Upload and preview' }).click();

  await expect(dialog.getByRole('heading', { name: /Acme Corp/ })).toBeVisible();
  const counts = dialog.getByLabel('What the archive holds');
  await expect(counts).toContainText('Agents2');
  await expect(counts).toContainText('Users1');
  await expect(counts).toContainText('Knowledge documents1');
  await expect(counts).toContainText('Months closed there1');
  await expect(dialog.getByText('The slug is taken here')).toBeVisible();
  await expect(dialog.getByText('support-bot → support-bot-2')).toBeVisible();
  await expect(dialog.getByText('ops@acme.test')).toBeVisible();
  const slug = dialog.getByLabel('New slug');
  await expect(slug).toHaveValue('acme-2');
  await slug.fill('Acme Copy');
  await dialog.getByRole('button', { name: 'Import organization' }).click();
  await expect(dialog.getByText(/A slug uses lowercase letters/)).toBeVisible();
  await slug.fill('acme-copy');
  await saveScreens(page, 'org-import-preview');
  await dialog.getByRole('button', { name: 'Import organization' }).click();

  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(/#\/orgs\/acme-copy$/);
  await expect(page.getByRole('heading', { name: 'Acme Corp', level: 2 })).toBeVisible();
  await expect(page.getByText('acme-copy', { exact: true })).toBeVisible();
  await page.getByRole('tab', { name: /Agents/ }).click();
  const agents = page.getByRole('table', { name: 'Agents of Acme Corp' });
  await expect(agents.getByText('support-bot-2')).toBeVisible();
  await expect(agents.getByText('sales-bot-2')).toBeVisible();
  await saveScreen(page, 'org-imported-agents');

  // The same file again: the preview says it was imported before, and as which org.
  await page.getByRole('link', { name: 'Organizations' }).first().click();
  await page.getByRole('button', { name: 'Import org' }).click();
  await dialog.locator('input[type="file"]').setInputFiles(file);
  await dialog.getByRole('button', { name: 'Upload and preview' }).click();
  const before = dialog.getByRole('alert').filter({ hasText: 'Imported here before' });
  await expect(before).toContainText('Importing it again makes another copy of the organization');
  await expect(before).toContainText('Acme Corp acme-copy');
  await saveScreens(page, 'org-import-again', { fullPage: false });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();

  const copy = JSON.parse(cli(dataDir, ['org', 'show', 'acme-copy', '--json'])) as Org;
  const original = JSON.parse(cli(dataDir, ['org', 'show', 'acme', '--json'])) as Org;
  expect(copy.id).not.toBe(original.id);
  expect(copy).toMatchObject({ name: 'Acme Corp', rate: '40.00', agentCount: 2 });
  expect(cli(dataDir, ['audit', 'verify'])).toContain('intact');
});

test('an org moved in is not billed again for a month its old console closed, and its client is told so', async ({
  browser,
  server,
  dataDir,
}) => {
  const file = join(dataDir, 'acme.json');
  cli(dataDir, ['export', '--org', 'acme', '--out', file]);
  expect(cli(dataDir, ['import', file, '--slug', 'acme-moved', '--yes'])).toContain(
    'Imported Acme Corp as acme-moved',
  );
  const closed = cli(dataDir, ['statement', 'close', '--month', lastMonth(), '--org', 'acme-moved']).trim();
  expect(closed).toMatch(
    /^Skipped acme-moved: closed with nothing to bill on .+ by the Orgdeck the org was moved from: not billed here\.$/,
  );

  const client = { email: 'bill@acme.test', name: 'Bill Billing', password: 'bill passphrase 1' };
  createUser(dataDir, client, { role: 'user', org: 'acme-moved', pages: 'billing' });
  cli(dataDir, ['member', 'add', client.email, '--org', 'acme-moved', '--role', 'billing']);
  const context = await browser.newContext();
  const bill = await context.newPage();
  await signIn(bill, server.url, client);
  await bill
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Billing' })
    .click();
  await bill.getByRole('combobox', { name: 'Month' }).click();
  await bill.getByRole('option', { name: lastMonth() }).click();
  await expect(
    bill.getByText('Closed with nothing to bill, before your organization moved to this console.'),
  ).toBeVisible();
  await expectAccessible(bill, 'client billing of an org moved in');
  await saveScreens(bill, 'org-moved-client-billing');
  await context.close();
});

test('a file that is not an archive is refused before anything is imported', async ({
  page,
  server,
  dataDir,
}) => {
  await signIn(page, server.url);
  await page.getByRole('button', { name: 'Import org' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import an organization' });
  await dialog.locator('input[type="file"]').setInputFiles({
    name: 'notes.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"hello": "world"}'),
  });
  await dialog.getByRole('button', { name: 'Upload and preview' }).click();
  await expect(dialog.getByText('The file is not an Orgdeck org archive')).toBeVisible();
  await saveScreen(page, 'org-import-refused');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('table', { name: 'Organizations' }).getByRole('link')).toHaveCount(2);
  expect(JSON.parse(cli(dataDir, ['org', 'list', '--json']))).toHaveLength(2);
});
