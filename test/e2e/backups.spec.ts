import { seedOwnerAndBilling } from './billing-setup';
import { cli, createUser } from './console-server';
import { expect, saveScreen, saveScreens, signIn, test } from './fixtures';

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, seedOwnerAndBilling));

test('a backup made from Settings is restored, undoing a later change but keeping the statements issued since, after which everyone signs in again', async ({
  page,
  server,
  dataDir,
}) => {
  await signIn(page, server.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  const backups = page.getByRole('table', { name: 'Backups' });
  // `orgdeck serve` made the day's backup when it started.
  await expect(backups.getByText('Daily')).toBeVisible();

  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByText('Backed up', { exact: true })).toBeVisible();
  await expect(backups.getByText('Manual')).toBeVisible();
  await saveScreen(page, 'settings-backups');

  // A change after the backup.
  await page.getByRole('link', { name: 'Organizations' }).click();
  await page.getByRole('button', { name: 'New organization' }).click();
  const dialog = page.getByRole('dialog', { name: 'New organization' });
  await dialog.getByLabel('Name').fill('Made After Backup');
  await dialog.getByRole('button', { name: 'Create organization' }).click();
  await expect(
    page.getByRole('table', { name: 'Organizations' }).getByText('Made After Backup'),
  ).toBeVisible();
  // And September closed: the two statements its clients hold outlive the restore.
  cli(dataDir, ['statement', 'close', '--month', '2026-09']);

  await page.getByRole('link', { name: 'Settings' }).click();
  const manual = backups.getByRole('row').filter({ hasText: 'Manual' });
  await manual.getByRole('button', { name: /Restore the backup of/ }).click();
  const confirm = page.getByRole('dialog', { name: 'Restore this backup?' });
  await expect(confirm).toContainText('The current store is kept aside');
  await expect(confirm).toContainText('Everyone is signed out, you included, and signs in again.');
  await expect(confirm).toContainText('Who may sign in stays as it is today');
  await saveScreens(page, 'settings-backups-restore', { fullPage: false });
  // Cancel changes nothing; the keyboard reaches it first.
  await page.keyboard.press('Enter');
  await expect(confirm).toBeHidden();
  await manual.getByRole('button', { name: /Restore the backup of/ }).click();
  await confirm.getByRole('button', { name: 'Restore backup' }).click();

  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText('Backup restored')).toBeVisible();
  await expect(
    page.getByText('2 documents issued since the backup are kept as issued: ST-2026-0001, ST-2026-0002.'),
  ).toBeVisible();
  await saveScreens(page, 'settings-backups-restored');
  await signIn(page, server.url);
  await expect(page.getByRole('table', { name: 'Organizations' })).toBeVisible();
  await expect(page.getByText('Made After Backup')).toHaveCount(0);

  // The store as it was before the restore is there to go back to, and the trail says who restored what.
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(backups.getByText('Before a restore')).toBeVisible();
  const trail = JSON.parse(cli(dataDir, ['audit', 'list', '--json'])) as { action: string; actor: string }[];
  expect(trail.slice(0, 2)).toMatchObject([
    { action: 'session.signed_in' },
    { action: 'backup.restored', actor: 'Olivia Owner <owner@example.com>' },
  ]);
});

test('an admin can back up but not restore', async ({ page, server, dataDir }) => {
  createUser(
    dataDir,
    { email: 'ada@example.com', name: 'Ada Admin', password: 'correct horse battery' },
    { role: 'admin' },
  );
  await signIn(page, server.url, {
    email: 'ada@example.com',
    name: 'Ada Admin',
    password: 'correct horse battery',
  });
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByRole('table', { name: 'Backups' }).getByText('Manual')).toBeVisible();
  await expect(page.getByRole('button', { name: /Restore the backup of/ })).toHaveCount(0);
  await expect(page.getByText('Only the owner can restore a backup.')).toBeVisible();
});
