import type { Org } from '../../shared/contract/orgs';
import { unusedCodes } from '../fixtures/authenticator';
import { cli, createUser, initOwner } from './console-server';
import { expect, saveScreen, signIn, test } from './fixtures';

const NIA = { email: 'nia@msp.test', name: 'Nia Newcomer', password: 'nia passphrase 12' };
const UNA = { email: 'una@acme.test', name: 'Una User', password: 'una passphrase 1' };

/** The owner, Acme Corp, Globex and Initech. */
function seedThreeOrgs(dataDir: string): void {
  initOwner(dataDir);
  cli(dataDir, ['org', 'create', '--name', 'Acme Corp', '--slug', 'acme']);
  cli(dataDir, ['org', 'create', '--name', 'Globex', '--slug', 'globex']);
  cli(dataDir, ['org', 'create', '--name', 'Initech', '--slug', 'initech']);
}

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, seedThreeOrgs));

test('an invite is accepted, two-factor sign-in enrolled, and the user switches between the two orgs held', async ({
  page,
  server,
  dataDir,
  browser,
}) => {
  test.slow();
  const orgs = JSON.parse(cli(dataDir, ['org', 'list', '--json'])) as Org[];
  const id = (slug: string) => orgs.find((org) => org.slug === slug)?.id;
  // A one-org user first, while two-factor sign-in is not yet required.
  createUser(dataDir, UNA, { role: 'user', org: 'acme', pages: 'agents' });
  const unaContext = await browser.newContext();
  const una = await unaContext.newPage();
  await signIn(una, server.url, UNA);
  const unaSwitcher = una.getByRole('group', { name: 'Organization', exact: true });
  await expect(unaSwitcher).toContainText('Acme Corp');
  await expect(unaSwitcher).toContainText('Locked');
  await saveScreen(una, 'roles-locked-one-org');
  await unaContext.close();

  // The owner requires two-factor sign-in and invites Nia into two of the three orgs.
  cli(dataDir, ['call', 'settings.update', '--input', '{"requireTwoFactor":true}']);
  const invited = JSON.parse(
    cli(dataDir, [
      'call',
      'invites.create',
      '--input',
      JSON.stringify({
        email: NIA.email,
        memberships: [
          { orgId: id('acme'), role: 'member' },
          { orgId: id('globex'), role: 'viewer' },
        ],
      }),
    ]),
  ) as { code: string };

  await page.goto(`${server.url}/#/invite/${invited.code}`);
  await expect(page.getByRole('heading', { name: 'Accept your invite' })).toBeVisible();
  await expect(page.getByLabel('Invite code')).toHaveValue(invited.code);
  await page.getByLabel('Your name').fill(NIA.name);
  await page.getByRole('textbox', { name: 'Password' }).fill(NIA.password);
  await saveScreen(page, 'roles-invite-accept');
  await page.getByRole('button', { name: 'Create my account' }).click();

  // Required: she enrols before anything else.
  await expect(page.getByRole('heading', { name: 'Set up two-factor sign-in' })).toBeVisible();
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
  const nextCode = unusedCodes(secret);
  await saveScreen(page, 'roles-totp-enrol');
  await page.getByLabel('Code from the app').fill(await nextCode());
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await expect(page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem')).toHaveCount(10);
  await saveScreen(page, 'roles-recovery-codes');
  await page.getByRole('button', { name: 'I saved my recovery codes' }).click();
  // A user with memberships starts on the overview of an org she holds, not on the owners' Home.
  await expect(page.getByRole('heading', { name: 'Acme Corp', level: 2 })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`#/orgs/${id('acme')}$`));
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Organizations' })
    .click();
  await expect(page.getByRole('heading', { name: 'Organizations', exact: true })).toBeVisible();

  // She sees exactly the two orgs she holds, and switches between them.
  const table = page.getByRole('table', { name: 'Organizations' });
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(page.locator('body')).not.toContainText('Initech');
  const switcher = page.getByRole('combobox', { name: 'Organization', exact: true });
  await switcher.click();
  await expect(page.getByRole('option')).toHaveText(['Acme Corp', 'Globex']);
  await page.getByRole('option', { name: 'Globex' }).click();
  await expect(switcher).toHaveValue('Globex');
  await saveScreen(page, 'roles-switcher-two-orgs');
  await switcher.click();
  await page.getByRole('option', { name: 'Acme Corp' }).click();
  await expect(switcher).toHaveValue('Acme Corp');

  // She leaves Globex herself, after a confirmation: Acme is then the one org she holds, locked.
  await switcher.click();
  await page.getByRole('option', { name: 'Globex' }).click();
  await page.getByRole('button', { name: `Account: ${NIA.name}` }).click();
  await page.getByRole('menuitem', { name: 'Leave Globex' }).click();
  const leaving = page.getByRole('dialog', { name: 'Leave Globex?' });
  await saveScreen(page, 'roles-leave-org');
  await leaving.getByRole('button', { name: 'Leave Globex' }).click();
  const locked = page.getByRole('group', { name: 'Organization', exact: true });
  await expect(locked).toContainText('Acme Corp');
  await expect(locked).toContainText('Locked');
  await expect(table.getByRole('row')).toHaveCount(2);

  // Signing in again asks for the code.
  await page.getByRole('button', { name: `Account: ${NIA.name}` }).click();
  await page.getByRole('menuitem', { name: 'Sign out', exact: true }).click();
  await page.getByLabel('Email').fill(NIA.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(NIA.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const code = page.getByLabel('Authentication code');
  await expect(code).toBeVisible();
  await saveScreen(page, 'roles-sign-in-code');
  await code.fill(await nextCode());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Organizations', exact: true })).toBeVisible();

  // A new API token needs her password and, as she has two-factor sign-in, a current code.
  await page.getByRole('button', { name: `Account: ${NIA.name}` }).click();
  await page.getByRole('menuitem', { name: 'API tokens' }).click();
  await page.getByRole('button', { name: 'New token' }).click();
  const tokenForm = page.getByRole('dialog', { name: 'New API token' });
  await tokenForm.getByLabel('Name').fill('Nightly export');
  await tokenForm.getByLabel('Your password').fill(NIA.password);
  await tokenForm.getByRole('button', { name: 'Create token' }).click();
  await expect(
    tokenForm.getByText('Enter the code from your authenticator app to create a token.'),
  ).toBeVisible();
  await page.setViewportSize({ width: 1440, height: 900 });
  await saveScreen(page, 'roles-token-code');
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await saveScreen(page, 'roles-token-code-dark-1024');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await tokenForm.getByLabel('Authenticator code').fill(await nextCode());
  await tokenForm.getByRole('button', { name: 'Create token' }).click();
  const tokenCreated = page.getByRole('dialog', { name: 'API token created' });
  await expect(tokenCreated.getByLabel('Your new API token')).toHaveValue(/^odk_/);
  await tokenCreated.getByRole('button', { name: 'Done' }).click();

  // The invite worked once: its second use fails.
  const again = await page.request.post(`${server.url}/api/invites.accept`, {
    data: { code: invited.code, name: 'Again', password: 'another passphrase' },
  });
  expect(await again.json()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
});

test('an org’s Members tab lists its members, changes a role, and invites by email', async ({
  page,
  server,
  dataDir,
}) => {
  createUser(dataDir, UNA, { role: 'user', org: 'acme', pages: 'agents' });
  const acme = (JSON.parse(cli(dataDir, ['org', 'list', '--json'])) as Org[]).find(
    (org) => org.slug === 'acme',
  );
  await signIn(page, server.url);
  await page.goto(`${server.url}/#/orgs/${acme?.id}/members`);
  const table = page.getByRole('table', { name: 'Members of Acme Corp' });
  await expect(table.getByRole('row', { name: /Una User/ })).toBeVisible();
  await page.getByRole('combobox', { name: 'Role of Una User' }).click();
  await page.getByRole('option', { name: 'Manager' }).click();
  await expect(page.getByRole('combobox', { name: 'Role of Una User' })).toHaveValue('Manager');
  expect(cli(dataDir, ['member', 'list', '--org', 'acme'])).toContain('manager');

  await page.getByLabel('Email').fill('hire@acme.test');
  await page.getByRole('button', { name: 'Invite' }).click();
  await expect(page.getByText('Invite for hire@acme.test')).toBeVisible();
  await expect(page.getByText(/#\/invite\/odi_/)).toBeVisible();
  await saveScreen(page, 'roles-members-tab');
  expect(cli(dataDir, ['invite', 'list', '--org', 'acme'])).toContain('hire@acme.test');
});
