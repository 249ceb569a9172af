import { initOwner } from './console-server';
import { expect, saveScreen, signIn, test } from './fixtures';

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, initOwner));

test('the session timeout is checked, saved and kept across reloads', async ({ page, server }) => {
  await signIn(page, server.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  const timeout = page.getByLabel('Session timeout (hours)');
  await expect(timeout).toHaveValue('8');
  await saveScreen(page, 'settings');

  await timeout.fill('');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Enter a value')).toBeVisible();
  await timeout.fill('1000');
  await timeout.press('Enter');
  await expect(page.getByText('At most 720 hours (30 days)')).toBeVisible();

  await timeout.fill('12');
  await timeout.press('Enter');
  await expect(
    page.getByText('Sign-ins last 12 hours, open ones too; API tokens at most 365 days.'),
  ).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Session timeout (hours)')).toHaveValue('12');

  const tokenDays = page.getByLabel('Longest API token lifetime (days)');
  await expect(tokenDays).toHaveValue('365');
  await tokenDays.fill('400');
  await tokenDays.press('Enter');
  await expect(page.getByText('At most 365 days')).toBeVisible();
  await tokenDays.fill('30');
  await tokenDays.press('Enter');
  await expect(page.getByText('API tokens at most 30 days.')).toBeVisible();
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await saveScreen(page, 'settings-dark-1024');
});
