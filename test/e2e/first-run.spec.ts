import { expect, saveScreen, test } from './fixtures';

test('first run: the owner sets up Orgdeck and lands in the console', async ({ page, server }) => {
  await page.goto(server.url);
  await expect(page.getByRole('heading', { name: 'Set up Orgdeck' })).toBeVisible();
  await saveScreen(page, 'setup');
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await saveScreen(page, 'setup-dark-1024');
  await page.emulateMedia({ colorScheme: 'light' });

  await page.getByRole('button', { name: 'Create owner account' }).click();
  await expect(page.getByText('A name is required').first()).toBeVisible();

  // Setup over HTTP asks for the code serve printed on its console: a wrong one creates nothing.
  await page.getByLabel('Setup code').fill('AAAA-BBBB-CCCC');
  await page.getByLabel('Your name').fill('Olivia Owner');
  await page.getByLabel('Email').fill('owner@example.com');
  await page.getByRole('textbox', { name: 'Password' }).fill('short');
  await page.getByRole('button', { name: 'Create owner account' }).click();
  await expect(page.getByText('Use at least 10 characters.')).toBeVisible();

  await page.getByRole('textbox', { name: 'Password' }).fill('correct horse battery');
  await page.getByLabel('Your organization').fill('Northwind MSP');
  await page.getByRole('button', { name: 'Create owner account' }).click();
  await expect(page.getByText('Enter the code orgdeck serve printed on its console')).toBeVisible();

  await page.getByLabel('Setup code').fill(server.setupCode ?? 'no code printed');
  await page.getByRole('button', { name: 'Create owner account' }).click();

  // The owner lands on Home, which says what it will show and offers the first steps.
  await expect(page.getByRole('heading', { name: 'Home', exact: true })).toBeVisible();
  await expect(page.getByText('Nothing to watch yet')).toBeVisible();
  await expect(page.getByRole('button', { name: 'New organization' })).toBeVisible();
  await saveScreen(page, 'home-empty');
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Organizations' })
    .click();
  await expect(page.getByRole('heading', { name: 'Organizations', exact: true })).toBeVisible();
  const table = page.getByRole('table', { name: 'Organizations' });
  await expect(table.getByText('Northwind MSP')).toBeVisible();
  await expect(table.getByText('Owner', { exact: true })).toBeVisible();
  await expect(page.getByText('No client organizations yet')).toBeVisible();
  await saveScreen(page, 'orgs-empty');

  // The setup screen never comes back once an owner exists.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Organizations', exact: true })).toBeVisible();
});
