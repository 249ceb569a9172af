import { cli, initOwner } from './console-server';
import { expect, saveScreen, signIn, test } from './fixtures';

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, initOwner));

test('the overview edits everything but the slug, and the edits are kept', async ({
  page,
  server,
  dataDir,
}) => {
  cli(dataDir, ['org', 'create', '--name', 'Acme Corp', '--slug', 'acme', '--rate', '40.00']);
  await signIn(page, server.url);
  await page.getByRole('table', { name: 'Organizations' }).getByText('acme', { exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Acme Corp', level: 2 })).toBeVisible();
  await expect(page).toHaveURL(/#\/orgs\/acme$/);

  const form = page.getByRole('form', { name: 'Organization details' });
  await expect(form.getByLabel('Slug')).toHaveValue('acme');
  await expect(form.getByLabel('Slug')).toHaveAttribute('readonly');
  await form.getByLabel('Name', { exact: true }).fill('Acme Corporation');
  await form.getByLabel('Contact name').fill('Wile E. Coyote');
  await form.getByLabel('Contact email').fill('wile@');
  await form.getByLabel('Description').fill('Roadrunner logistics.');
  await form.getByLabel('Rate per agent / month').fill('45.5');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(form.getByText('Enter a valid email address')).toBeVisible();
  await form.getByLabel('Contact email').fill('wile@acme.test');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Acme Corporation is up to date.')).toBeVisible();
  await form.getByRole('combobox', { name: 'Billing mode' }).click();
  await page.getByRole('option', { name: /Full month/ }).click();
  await form.getByRole('combobox', { name: 'Time zone' }).fill('Europe/Berl');
  await page.getByRole('option', { name: 'Europe/Berlin' }).click();
  await form.getByLabel('Contact email').press('Enter');
  await expect(form.getByRole('button', { name: 'Save changes' })).toBeDisabled();
  await expect(page.getByRole('heading', { name: 'Acme Corporation', level: 2 })).toBeVisible();

  await page.reload();
  await expect(form.getByLabel('Name', { exact: true })).toHaveValue('Acme Corporation');
  await expect(form.getByLabel('Contact email')).toHaveValue('wile@acme.test');
  await expect(form.getByLabel('Rate per agent / month')).toHaveValue('45.50');
  await expect(form.getByRole('combobox', { name: 'Billing mode' })).toHaveValue(/Full month/);
  await expect(form.getByRole('combobox', { name: 'Time zone' })).toHaveValue('Europe/Berlin');
  await saveScreen(page, 'org-detail');

  const [org] = JSON.parse(cli(dataDir, ['org', 'list', '--search', 'acme', '--json']));
  expect(org).toMatchObject({
    slug: 'acme',
    name: 'Acme Corporation',
    contactName: 'Wile E. Coyote',
    description: 'Roadrunner logistics.',
    rate: '45.50',
    billingMode: 'full_month',
    timezone: 'Europe/Berlin',
  });
});

test('deactivating asks first; deleting takes the exact name; a deleted org is restored', async ({
  page,
  server,
  dataDir,
}) => {
  cli(dataDir, ['org', 'create', '--name', 'Acme Corporation', '--slug', 'acme']);
  await signIn(page, server.url);
  await page.getByRole('link', { name: 'Acme Corporation' }).click();

  await page.getByRole('button', { name: 'Deactivate' }).click();
  const deactivate = page.getByRole('dialog', { name: 'Deactivate Acme Corporation?' });
  await expect(deactivate).toContainText('stopped by org');
  await deactivate.getByRole('button', { name: 'Deactivate' }).click();
  await expect(page.getByRole('main').getByText('Inactive', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Activate', exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete Acme Corporation?' });
  const deleteButton = confirm.getByRole('button', { name: 'Delete organization' });
  await expect(deleteButton).toBeDisabled();
  await confirm.getByLabel('Type Acme Corporation to confirm').fill('Acme Corp');
  await expect(deleteButton).toBeDisabled();
  await confirm.getByLabel('Type Acme Corporation to confirm').fill('Acme Corporation');
  await expect(deleteButton).toBeEnabled();
  await saveScreen(page, 'org-delete-confirm');
  await deleteButton.click();
  await expect(page.getByRole('alert').filter({ hasText: /Deleted — restorable until/ })).toBeVisible();
  await expect(page.getByRole('main').getByText('Deleted', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Activate', exact: true })).toHaveCount(0);

  await page.getByRole('link', { name: 'Organizations' }).first().click();
  const table = page.getByRole('table', { name: 'Organizations' });
  await expect(table.getByRole('link', { name: 'Platform' })).toBeVisible();
  await expect(table.getByRole('link', { name: 'Acme Corporation' })).toHaveCount(0);
  await page.getByRole('radiogroup', { name: 'Status' }).getByText('Deleted', { exact: true }).click();
  await expect(table.getByRole('link', { name: 'Platform' })).toHaveCount(0);
  await table.getByRole('link', { name: 'Acme Corporation' }).click();
  await page.getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByText(/Deleted — restorable until/)).toHaveCount(0);
  await expect(page.getByRole('main').getByText('Inactive', { exact: true })).toBeVisible();
  const [org] = JSON.parse(cli(dataDir, ['org', 'list', '--status', 'inactive', '--json']));
  expect(org).toMatchObject({ slug: 'acme', status: 'inactive', deletedAt: null });
});

test('the owner org has no lifecycle actions, and an org with agents is not deleted', async ({
  page,
  server,
  dataDir,
}) => {
  cli(dataDir, ['org', 'create', '--name', 'Initech', '--slug', 'initech']);
  cli(dataDir, ['agent', 'create', '--name', 'Milton', '--handle', 'milton', '--org', 'initech']);
  await signIn(page, server.url);
  const table = page.getByRole('table', { name: 'Organizations' });

  await table.getByRole('link', { name: 'Platform' }).click();
  await expect(page.getByText('Owner organization')).toBeVisible();
  await expect(page.getByRole('button', { name: /Deactivate|Delete/ })).toHaveCount(0);

  await page.goBack();
  await table.getByRole('link', { name: 'Initech' }).click();
  await expect(page.getByRole('tab', { name: /Agents/ })).toContainText('1');
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete Initech?' });
  await confirm.getByLabel('Type Initech to confirm').fill('Initech');
  await confirm.getByRole('button', { name: 'Delete organization' }).click();
  await expect(confirm.getByRole('alert')).toContainText(
    'Initech has 1 agent assigned: unassign or move it first.',
  );
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('main').getByText('Active', { exact: true })).toBeVisible();
});
