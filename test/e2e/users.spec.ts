import { cli, createUser, initOwner } from './console-server';
import { expect, saveScreen, signIn, test } from './fixtures';

const UNA = { email: 'una@acme.test', name: 'Una User', password: 'first passphrase' };

/** The owner and Acme Corp. */
function seedAcme(dataDir: string): void {
  initOwner(dataDir);
  cli(dataDir, ['org', 'create', '--name', 'Acme Corp', '--slug', 'acme']);
}

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, seedAcme));

test('an owner creates a user bound to an org with some pages, then makes them an admin', async ({
  page,
  server,
  dataDir,
}) => {
  createUser(
    dataDir,
    { email: 'bo@acme.test', name: 'Bo Bound', password: 'bo passphrase 1' },
    { role: 'user', org: 'acme', pages: 'agents,billing' },
  );
  await signIn(page, server.url);
  await page.getByRole('link', { name: 'Users' }).click();
  const row = page.getByRole('table', { name: 'Users' }).getByRole('row', { name: /Una User/ });

  await page.getByRole('button', { name: 'New user' }).click();
  const create = page.getByRole('dialog', { name: 'New user' });
  await create.getByLabel('Name').fill(UNA.name);
  await create.getByLabel('Email').fill(UNA.email);
  await create.getByRole('textbox', { name: 'Password' }).fill('short');
  await create.getByRole('textbox', { name: 'Password' }).press('Enter');
  await expect(create.getByText('Use at least 10 characters.')).toBeVisible();
  await create.getByRole('textbox', { name: 'Password' }).fill(UNA.password);
  await create.getByRole('combobox', { name: 'Organization', exact: true }).click();
  await page.getByRole('option', { name: 'Acme Corp' }).click();
  await create.getByRole('checkbox', { name: 'Knowledge' }).check();
  await create.getByRole('button', { name: 'Create user' }).click();
  await expect(row.getByText('User', { exact: true })).toBeVisible();
  await expect(row).toContainText('Acme Corp');
  await expect(row).toContainText('Knowledge');

  await row.getByRole('button', { name: 'Actions for Una User' }).click();
  await page.getByRole('menuitem', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Una User' });
  await edit.getByRole('combobox', { name: 'Role' }).click();
  await page.getByRole('option', { name: 'Admin', exact: true }).click();
  await expect(edit.getByText('the binding and page permissions below are ignored')).toBeVisible();
  await expect(edit.getByRole('combobox', { name: 'Organization', exact: true })).toBeDisabled();
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit).toBeHidden();
  await expect(row.getByText('Admin', { exact: true })).toBeVisible();
  await expect(row).toContainText('All organizations');
  await expect(row).not.toContainText('Acme Corp');
  await saveScreen(page, 'users');
});

test('a reset password and a disabled account take effect at sign-in', async ({
  page,
  server,
  dataDir,
  browser,
}) => {
  // Two browsers and four sign-ins, each a deliberately slow password hash: allow more than the default time.
  test.slow();
  createUser(dataDir, UNA, { role: 'user', org: 'acme' });
  await signIn(page, server.url);
  await page.getByRole('link', { name: 'Users' }).click();
  const row = page.getByRole('table', { name: 'Users' }).getByRole('row', { name: /Una User/ });
  const act = async (action: string) => {
    await row.getByRole('button', { name: 'Actions for Una User' }).click();
    await page.getByRole('menuitem', { name: action }).click();
  };

  await act('Reset password');
  const reset = page.getByRole('dialog', { name: 'Reset the password of Una User' });
  await reset.getByLabel('New password').fill('second passphrase');
  await reset.getByLabel('New password').press('Enter');
  await expect(page.getByText('Una User signs in with the new password from now on.')).toBeVisible();

  await act('Disable');
  await page
    .getByRole('dialog', { name: 'Disable Una User?' })
    .getByRole('button', { name: 'Disable' })
    .click();
  await expect(row).toContainText('Disabled');

  // Only the right password gets as far as the account's state, so the disabled message also proves the reset.
  const una = await (await browser.newContext()).newPage();
  await una.goto(server.url);
  await una.getByLabel('Email').fill(UNA.email);
  await una.getByRole('textbox', { name: 'Password' }).fill(UNA.password);
  await una.getByRole('button', { name: 'Sign in' }).click();
  await expect(una.getByRole('alert')).toContainText('The email or password is not right.');
  await una.getByRole('textbox', { name: 'Password' }).fill('second passphrase');
  await una.getByRole('button', { name: 'Sign in' }).click();
  await expect(una.getByRole('alert')).toContainText('This account is disabled.');

  await act('Enable');
  await page
    .getByRole('dialog', { name: 'Enable Una User?' })
    .getByRole('button', { name: 'Enable' })
    .click();
  await expect(row).toContainText('Active');
  await una.getByRole('button', { name: 'Sign in' }).click();
  await expect(una.getByRole('group', { name: 'Organization', exact: true })).toContainText('Acme Corp');
});

test('the last owner cannot be demoted, but can hand ownership over', async ({ page, server, dataDir }) => {
  createUser(
    dataDir,
    { email: 'ada@example.com', name: 'Ada Admin', password: 'ada passphrase 1' },
    { role: 'admin' },
  );
  await signIn(page, server.url);
  await page.getByRole('link', { name: 'Users' }).click();
  const table = page.getByRole('table', { name: 'Users' });
  const olivia = table.getByRole('row', { name: /Olivia Owner/ });
  const ada = table.getByRole('row', { name: /Ada Admin/ });

  await olivia.getByRole('button', { name: 'Actions for Olivia Owner' }).click();
  await expect(page.getByRole('menuitem', { name: 'Transfer ownership' })).toHaveCount(0);
  await page.getByRole('menuitem', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Olivia Owner' });
  await edit.getByRole('combobox', { name: 'Role' }).click();
  await page.getByRole('option', { name: 'Admin', exact: true }).click();
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('This is the last active owner, who cannot be demoted')).toBeVisible();
  await edit.getByRole('button', { name: 'Cancel' }).click();
  await expect(olivia.getByText('Owner', { exact: true })).toBeVisible();

  await ada.getByRole('button', { name: 'Actions for Ada Admin' }).click();
  await page.getByRole('menuitem', { name: 'Transfer ownership' }).click();
  const transfer = page.getByRole('dialog', { name: 'Make Ada Admin the owner?' });
  await expect(transfer).toContainText('you become an admin');
  await transfer.getByRole('button', { name: 'Transfer ownership' }).click();
  await expect(ada.getByText('Owner', { exact: true })).toBeVisible();
  await expect(olivia.getByText('Admin', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Account: Olivia Owner' }).click();
  await expect(page.getByText('owner@example.com · admin')).toBeVisible();
});
