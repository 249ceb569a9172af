import type { Org } from '../../shared/contract/orgs';
import { cli, initOwner } from './console-server';
import { expect, saveScreen, saveScreens, signIn, test } from './fixtures';

const UNA = { email: 'una@acme.test', name: 'Una User', password: 'una passphrase 1' };

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, initOwner));

const orgList = (dataDir: string) => JSON.parse(cli(dataDir, ['org', 'list', '--json'])) as Org[];

test('a user bound to one org sees only that org, on screen and over HTTP', async ({
  page,
  server,
  dataDir,
  browser,
}) => {
  // The whole story in one test, across two browsers: allow it more than the default time.
  test.slow();
  // The owner creates two client orgs and a user bound to the first, all in the UI.
  await signIn(page, server.url);
  for (const name of ['Acme Corp', 'Globex']) {
    await page.getByRole('button', { name: 'New organization' }).click();
    const dialog = page.getByRole('dialog', { name: 'New organization' });
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('button', { name: 'Create organization' }).click();
    await expect(dialog).toBeHidden();
  }
  await page.getByRole('combobox', { name: 'Organization', exact: true }).click();
  await expect(page.getByRole('option', { name: 'Globex' })).toBeVisible();
  await saveScreen(page, 'switcher-unlocked');
  await page.keyboard.press('Escape');

  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('button', { name: 'New user' }).click();
  const create = page.getByRole('dialog', { name: 'New user' });
  await create.getByLabel('Name').fill(UNA.name);
  await create.getByLabel('Email').fill(UNA.email);
  await create.getByRole('textbox', { name: 'Password' }).fill(UNA.password);
  await create.getByRole('combobox', { name: 'Organization', exact: true }).click();
  await page.getByRole('option', { name: 'Acme Corp' }).click();
  await create.getByRole('checkbox', { name: 'Agents' }).check();
  await create.getByRole('checkbox', { name: 'Billing' }).check();
  await saveScreen(page, 'user-create');
  await create.getByRole('button', { name: 'Create user' }).click();
  await expect(create).toBeHidden();
  const row = page.getByRole('table', { name: 'Users' }).getByRole('row', { name: /Una User/ });
  await expect(row).toContainText('Acme Corp');
  await expect(row).toContainText('Agents, Billing');

  const [acme, globex] = ['Acme Corp', 'Globex'].map((name) => {
    const org = orgList(dataDir).find((candidate) => candidate.name === name);
    if (!org) throw new Error(`${name} was not created`);
    return org;
  }) as [Org, Org];

  // Una signs in from another browser.
  const context = await browser.newContext();
  const una = await context.newPage();
  await signIn(una, server.url, UNA);
  const switcher = una.getByRole('group', { name: 'Organization', exact: true });
  await expect(switcher).toContainText('Acme Corp');
  await expect(switcher).toContainText('Locked');
  await expect(una.getByRole('combobox', { name: 'Organization', exact: true })).toHaveCount(0);
  await saveScreen(una, 'switcher-locked');

  const nav = una.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByRole('link', { name: 'Organizations' })).toBeVisible();
  await expect(nav.getByRole('link', { name: /Users|Settings/ })).toHaveCount(0);
  const table = una.getByRole('table', { name: 'Organizations' });
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table).toContainText('Acme Corp');
  await expect(una.getByRole('radio', { name: 'Deleted' })).toHaveCount(0);
  await expect(una.getByRole('button', { name: 'New organization' })).toHaveCount(0);
  await expect(una.getByRole('button', { name: 'Rename Acme Corp' })).toHaveCount(0);
  const body = una.locator('body');
  await expect(body).not.toContainText('Globex');
  await expect(body).not.toContainText('Platform');

  await table.getByRole('link', { name: 'Acme Corp' }).click();
  await expect(una.getByRole('heading', { name: 'Acme Corp', level: 2 })).toBeVisible();
  await expect(una.getByText('Contact name')).toBeVisible();
  await saveScreens(una, 'org-facts-member');
  // Billing (cost and margin) is the MSP's: no tab for a member of the org.
  await expect(una.getByRole('tab')).toHaveText(['Overview', 'Agents']);
  await expect(una.getByRole('button', { name: /Deactivate|Delete|Save changes/ })).toHaveCount(0);
  await expect(body).not.toContainText('Globex');
  const settled = una.locator('[aria-busy="true"]');
  for (const tab of ['Agents']) {
    await una.getByRole('tab', { name: tab }).click();
    await expect(una.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
    await expect(settled).toHaveCount(0);
    await expect(body).not.toContainText('Globex');
  }
  // Every page the navigation offers her, whatever later versions add to it.
  for (const link of await nav.getByRole('link').all()) {
    const name = (await link.textContent()) ?? '';
    await link.click();
    await expect(una.getByRole('heading', { name, level: 2, exact: true })).toBeVisible();
    await expect(settled).toHaveCount(0);
    await expect(body, name).not.toContainText('Globex');
    await expect(body, name).not.toContainText('Platform');
  }

  await una.goto(`${server.url}/#/orgs/${globex.id}`);
  await expect(una.getByText('No such organization')).toBeVisible();
  await una.goto(`${server.url}/#/users`);
  await expect(una.getByText('Not available to you')).toBeVisible();
  await expect(body).not.toContainText('Globex');

  // Hand-made requests with Una's cookie are refused, and change nothing.
  const before = orgList(dataDir);
  const post = async (channel: string, data: object) => {
    const response = await context.request.post(`${server.url}/api/${channel}`, { data });
    return { status: response.status(), body: await response.json() };
  };
  expect(await post('orgs.get', { id: globex.id })).toMatchObject({
    status: 404,
    body: { ok: false, error: { code: 'NOT_FOUND' } },
  });
  for (const [channel, input] of [
    ['orgs.update', { id: globex.id, name: 'x' }],
    ['orgs.deactivate', { id: globex.id }],
    ['orgs.delete', { id: globex.id, confirmName: 'Globex' }],
    ['orgs.create', { name: 'Sneaky' }],
    ['users.list', {}],
  ] as const) {
    expect(await post(channel, input), channel).toMatchObject({
      status: 403,
      body: { ok: false, error: { code: 'FORBIDDEN' } },
    });
  }
  const listed = await post('orgs.list', {});
  expect(listed.status).toBe(200);
  expect(listed.body.data.map((org: Org) => org.id)).toEqual([acme.id]);
  expect((await post('orgs.list', { status: 'deleted' })).body.data).toEqual([]);
  expect(orgList(dataDir)).toEqual(before);
  expect(before.find((org) => org.id === globex.id)).toMatchObject({ name: 'Globex', status: 'active' });
  await context.close();
});
