import { cli, initOwner, startConsole } from './console-server';
import { expect, saveScreen, signIn, test } from './fixtures';

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, initOwner));

test('signing in refuses a wrong password and accepts the right one', async ({ page, server }) => {
  await page.goto(server.url);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await saveScreen(page, 'sign-in');
  await page.getByLabel('Email').fill('owner@example.com');
  await page.getByRole('textbox', { name: 'Password' }).fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('The email or password is not right.');

  await page.getByRole('textbox', { name: 'Password' }).fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Home', exact: true })).toBeVisible();

  // The account menu's two-factor dialog opens on its set-up and closes on Escape.
  await page.getByRole('button', { name: 'Account: Olivia Owner' }).click();
  await page.getByRole('menuitem', { name: 'Two-factor sign-in' }).click();
  const twoFactor = page.getByRole('dialog', { name: 'Two-factor sign-in' });
  await expect(twoFactor.getByRole('button', { name: 'Set up two-factor sign-in' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(twoFactor).toBeHidden();

  await page.getByRole('button', { name: 'Account: Olivia Owner' }).click();
  await page.getByRole('menuitem', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('an org created and renamed in the browser survives a restart and shows in the CLI', async ({
  page,
  server,
  dataDir,
}) => {
  await signIn(page, server.url);
  await page.getByRole('button', { name: 'New organization' }).click();
  const dialog = page.getByRole('dialog', { name: 'New organization' });
  await dialog.getByLabel('Name').fill('Acme Café, Inc.');
  await expect(dialog.getByLabel('Slug')).toHaveValue('acme-cafe-inc');
  await dialog.getByLabel('Rate per agent / month').fill('40');
  await saveScreen(page, 'org-create');
  await dialog.getByRole('button', { name: 'Create organization' }).click();

  const table = page.getByRole('table', { name: 'Organizations' });
  await expect(table.getByText('Acme Café, Inc.')).toBeVisible();
  await expect(table.getByText('$40.00')).toBeVisible();

  // A row's action names itself when the keyboard reaches it, and keeps the focus.
  const renameButton = page.getByRole('button', { name: 'Rename Acme Café, Inc.' });
  await renameButton.focus();
  await expect(page.getByRole('tooltip')).toHaveText('Rename');
  await expect(renameButton).toBeFocused();
  await page.keyboard.press('Enter');
  const rename = page.getByRole('dialog', { name: 'Rename Acme Café, Inc.' });
  await rename.getByLabel('Name').fill('Acme Holdings');
  await rename.getByLabel('Name').press('Enter');
  await expect(table.getByText('Acme Holdings')).toBeVisible();
  await saveScreen(page, 'orgs-list');

  await server.stop();
  const restarted = await startConsole(dataDir);
  try {
    // The session lives in the store, so the browser is still signed in after the restart.
    await page.goto(`${restarted.url}/#/orgs`);
    await expect(page.getByRole('table', { name: 'Organizations' }).getByText('Acme Holdings')).toBeVisible();
  } finally {
    await restarted.stop();
  }
  const listed = JSON.parse(cli(dataDir, ['org', 'list', '--json'])) as { slug: string; name: string }[];
  expect(listed).toContainEqual(expect.objectContaining({ slug: 'acme-cafe-inc', name: 'Acme Holdings' }));
});

test('the create form shows what is wrong, field by field, and keeps what was typed', async ({
  page,
  server,
}) => {
  await signIn(page, server.url);
  await page.getByRole('button', { name: 'New organization' }).click();
  const dialog = page.getByRole('dialog', { name: 'New organization' });
  await dialog.getByRole('button', { name: 'Create organization' }).click();
  await expect(dialog.getByText('A name is required')).toBeVisible();

  await dialog.getByLabel('Name').fill('Globex');
  await dialog.getByLabel('Slug').fill('platform');
  await dialog.getByLabel('Rate per agent / month').fill('12.345');
  await dialog.getByRole('button', { name: 'Create organization' }).click();
  await expect(dialog.getByText('at most 2 decimals')).toBeVisible();

  await dialog.getByLabel('Rate per agent / month').fill('12.34');
  await dialog.getByRole('button', { name: 'Create organization' }).click();
  await expect(dialog.getByText('This slug is taken')).toBeVisible();
  await expect(dialog.getByLabel('Name')).toHaveValue('Globex');
});

test('search filters the list and says when nothing matches', async ({ page, server, dataDir }) => {
  cli(dataDir, ['org', 'create', '--name', 'Initech']);
  cli(dataDir, ['org', 'create', '--name', 'Umbrella']);
  await signIn(page, server.url);
  const table = page.getByRole('table', { name: 'Organizations' });
  await expect(table.getByText('Initech', { exact: true })).toBeVisible();
  await page.getByLabel('Search organizations').fill('umbr');
  await expect(table.getByText('Initech', { exact: true })).toBeHidden();
  await expect(table.getByText('Umbrella', { exact: true })).toBeVisible();
  await page.getByLabel('Search organizations').fill('zzz');
  await expect(page.getByText('No match')).toBeVisible();
});

test('the dark theme is kept across reloads', async ({ page, server }) => {
  await signIn(page, server.url);
  const html = page.locator('html');
  const before = await html.getAttribute('data-mantine-color-scheme');
  const target = before === 'dark' ? 'light' : 'dark';
  await page.getByRole('button', { name: `Switch to ${target} theme` }).click();
  await expect(html).toHaveAttribute('data-mantine-color-scheme', target);
  await page.reload();
  await expect(html).toHaveAttribute('data-mantine-color-scheme', target);
  if (target === 'dark') await saveScreen(page, 'orgs-dark');
});
