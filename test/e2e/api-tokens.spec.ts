import { cli, createUser, initOwner, OWNER } from './console-server';
import { expect, saveScreen, signIn, test } from './fixtures';

/** The owner and Acme Corp. */
function seedAcme(dataDir: string): void {
  initOwner(dataDir);
  cli(dataDir, ['org', 'create', '--name', 'Acme Corp', '--slug', 'acme']);
}

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, seedAcme));
// The viewer's clock: times are shown on it with its zone named.
test.use({ timezoneId: 'UTC' });

/** What a script does with a token: list orgs over the console's HTTP API. */
async function listOrgsWith(url: string, secret: string) {
  const response = await fetch(`${url}/api/orgs.list`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` },
    body: '{}',
  });
  return {
    status: response.status,
    body: (await response.json()) as { ok: boolean; data?: { name: string }[] },
  };
}

test('a user creates an API token, a script uses it, and revoking it locks the script out', async ({
  page,
  context,
  server,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await signIn(page, server.url);
  await page.getByRole('button', { name: /^Account:/ }).click();
  await page.getByRole('menuitem', { name: 'API tokens' }).click();
  await expect(page.getByRole('heading', { name: 'API tokens', exact: true })).toBeVisible();
  await expect(page.getByText('No API tokens yet')).toBeVisible();
  await saveScreen(page, 'api-tokens-empty');

  await page.getByRole('button', { name: 'New token' }).click();
  const dialog = page.getByRole('dialog', { name: 'New API token' });
  await dialog.getByRole('button', { name: 'Create token' }).click();
  await expect(dialog.getByText('A name is required')).toBeVisible();
  await dialog.getByLabel('Name').fill('Nightly export');
  await dialog.getByRole('combobox', { name: 'Expires after' }).click();
  await page.getByRole('option', { name: '30 days' }).click();
  // A session alone mints no token: the password is asked again.
  await dialog.getByRole('button', { name: 'Create token' }).click();
  await expect(dialog.getByText('Enter your password to create a token.')).toBeVisible();
  await dialog.getByLabel('Your password').fill('not the password');
  await dialog.getByRole('button', { name: 'Create token' }).click();
  await expect(dialog.getByText('That is not your password.')).toBeVisible();
  await saveScreen(page, 'api-token-password');
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await saveScreen(page, 'api-token-password-dark-1024');
  await page.emulateMedia({ colorScheme: 'light' });
  await dialog.getByLabel('Your password').fill(OWNER.password);
  await dialog.getByRole('button', { name: 'Create token' }).click();

  const created = page.getByRole('dialog', { name: 'API token created' });
  await expect(created.getByText(/You won’t see it again/)).toBeVisible();
  const shown = await created.getByLabel('Your new API token').inputValue();
  expect(shown).toMatch(/^odk_[A-Za-z0-9_-]{43,}$/);
  await created.getByRole('button', { name: 'Copy' }).click();
  await expect(created.getByRole('button', { name: 'Copied' })).toBeVisible();
  const secret = await page.evaluate<string>('navigator.clipboard.readText()');
  expect(secret).toBe(shown);
  await saveScreen(page, 'api-token-created');

  const allowed = await listOrgsWith(server.url, secret);
  expect(allowed.status).toBe(200);
  expect(allowed.body.data?.map((org) => org.name)).toContain('Acme Corp');

  await created.getByRole('button', { name: 'Done' }).click();
  const row = page.getByRole('table', { name: 'API tokens' }).getByRole('row', { name: /Nightly export/ });
  await expect(row).toContainText('Active');
  await expect(row).toContainText(`${secret.slice(0, 10)}…`);
  await expect(row).not.toContainText(secret.slice(10, 20));
  await page.reload();
  await expect(row).not.toContainText('Never');
  // When it was last used, on the viewer's clock with the zone named.
  await expect(row).toContainText(/\d:\d\d [AP]M UTC/);
  await saveScreen(page, 'api-tokens');

  await row.getByRole('button', { name: 'Revoke Nightly export' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke “Nightly export”?' });
  await expect(confirm).toContainText('cannot be undone');
  await saveScreen(page, 'api-token-revoke');
  await confirm.getByRole('button', { name: 'Revoke token' }).click();
  await expect(row).toContainText('Revoked');
  await expect(row.getByRole('button', { name: /Revoke/ })).toHaveCount(0);

  const refused = await listOrgsWith(server.url, secret);
  expect(refused.status).toBe(401);
  expect(refused.body).toMatchObject({ ok: false });
});

test('an owner sees a user’s tokens from the Users page', async ({ page, server, dataDir }) => {
  createUser(
    dataDir,
    { email: 'una@acme.test', name: 'Una User', password: 'first passphrase' },
    { role: 'user', org: 'acme' },
  );
  cli(dataDir, ['token', 'create', '--user', 'una@acme.test', '--name', 'Una’s CI']);
  await signIn(page, server.url);
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('button', { name: 'Actions for Una User' }).click();
  await page.getByRole('menuitem', { name: 'API tokens' }).click();
  await expect(page.getByRole('heading', { name: 'API tokens of Una User' })).toBeVisible();
  const row = page.getByRole('table', { name: 'API tokens' }).getByRole('row', { name: /Una’s CI/ });
  await expect(row).toContainText('Active');
  await expect(row).toContainText('Never');
});

test('sign out everywhere ends this session and revokes every token', async ({ page, server, dataDir }) => {
  const secret = cli(dataDir, [
    'token',
    'create',
    '--user',
    OWNER.email,
    '--name',
    'Laptop script',
    '--json',
  ]);
  const token = (JSON.parse(secret) as { secret: string }).secret;
  expect((await listOrgsWith(server.url, token)).status).toBe(200);
  await signIn(page, server.url);
  await page.getByRole('button', { name: /^Account:/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out everywhere' }).click();
  const confirm = page.getByRole('dialog', { name: 'Sign out everywhere?' });
  await expect(confirm).toContainText('every API token of yours is revoked');
  await saveScreen(page, 'sign-out-everywhere');
  await confirm.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect((await listOrgsWith(server.url, token)).status).toBe(401);
});

test('the owner’s cap on token lifetime limits the choices', async ({ page, server, dataDir }) => {
  cli(dataDir, ['call', 'settings.update', '--input', '{"apiTokenMaxDays":45}']);
  await signIn(page, server.url);
  await page.getByRole('button', { name: /^Account:/ }).click();
  await page.getByRole('menuitem', { name: 'API tokens' }).click();
  await page.getByRole('button', { name: 'New token' }).click();
  const dialog = page.getByRole('dialog', { name: 'New API token' });
  await dialog.getByRole('combobox', { name: 'Expires after' }).click();
  await expect(page.getByRole('option')).toHaveText(['7 days', '30 days', '45 days (the longest allowed)']);
});
