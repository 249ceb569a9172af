import { cli, createUser, initOwner } from './console-server';
import { expect, saveScreen, signIn, test } from './fixtures';

const UNA = { email: 'una@acme.test', name: 'Una User', password: 'una passphrase 1' };

/** The owner; Acme and Globex with their agents, one moved from Globex and one in no org; Una, Acme’s manager. */
function seedAgentsAcrossOrgs(dataDir: string): void {
  initOwner(dataDir);
  cli(dataDir, ['org', 'create', '--name', 'Acme Corp', '--slug', 'acme']);
  cli(dataDir, ['org', 'create', '--name', 'Globex', '--slug', 'globex']);
  cli(dataDir, ['agent', 'create', '--name', 'Acme Bot', '--handle', 'acme-bot', '--org', 'acme']);
  cli(dataDir, ['agent', 'create', '--name', 'Mover Bot', '--handle', 'mover', '--org', 'globex']);
  cli(dataDir, ['agent', 'assign', 'mover', '--org', 'acme', '--move']);
  cli(dataDir, ['agent', 'create', '--name', 'Rival Bot', '--handle', 'rival-bot', '--org', 'globex']);
  cli(dataDir, ['agent', 'create', '--name', 'Free Bot', '--handle', 'free-bot']);
  createUser(dataDir, UNA, { role: 'user', org: 'acme', pages: 'agents' });
  // A manager runs her org's agents; a plain member only sees them.
  cli(dataDir, ['member', 'add', UNA.email, '--org', 'acme', '--role', 'manager']);
}

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, seedAgentsAcrossOrgs));

test('a bound user with the agents page sees only their org’s agents, never unassigned ones', async ({
  page,
  server,
}) => {
  await signIn(page, server.url, UNA);
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await nav.getByRole('link', { name: 'Agents' }).click();
  await expect(page.getByText('Acme Corp · 2 agents')).toBeVisible();
  const table = page.getByRole('table', { name: 'Agents' });
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await expect(table).toContainText('Acme Bot');
  await expect(table).toContainText('Mover Bot');
  await expect(page.getByRole('switch', { name: 'Unassigned only' })).toHaveCount(0);
  const body = page.locator('body');
  for (const hidden of ['Rival Bot', 'Free Bot', 'Globex']) await expect(body).not.toContainText(hidden);

  // Mover's history holds only what Una may see.
  await table
    .getByRole('row', { name: /Mover Bot/ })
    .getByText('mover', { exact: true })
    .click();
  const drawer = page.getByRole('dialog', { name: 'Mover Bot', exact: true });
  const history = drawer.getByRole('table', { name: 'Assignment history' }).getByRole('row');
  // The server sends only her org's stays: the time in Globex is not hers to see.
  await expect(history).toHaveCount(2);
  await expect(history.nth(1)).toContainText('Acme Corp');
  await expect(drawer.getByRole('button', { name: /Move to|Assign to|Delete/ })).toHaveCount(0);
  await expect(body).not.toContainText('Globex');
  await page.keyboard.press('Escape');

  // What she creates lands in her org.
  await page.getByRole('button', { name: 'New agent' }).click();
  const create = page.getByRole('dialog', { name: 'New agent' });
  await expect(create).toContainText('Agents you create go to your organization.');
  await expect(create.getByRole('combobox', { name: 'Assign to' })).toHaveCount(0);
  await create.getByLabel('Name', { exact: true }).fill('Una Bot');
  await create.getByRole('button', { name: 'Create agent' }).click();
  await expect(create).toBeHidden();
  await expect(table.getByRole('row', { name: /Una Bot/ })).toContainText('Acme Corp');
  await expect(page.getByText('Acme Corp · 3 agents')).toBeVisible();

  // The org's Agents tab lists the same three, without an assign control.
  await nav.getByRole('link', { name: 'Organizations' }).click();
  await page.getByRole('table', { name: 'Organizations' }).getByRole('link', { name: 'Acme Corp' }).click();
  await page.getByRole('tab', { name: /Agents/ }).click();
  const panel = page.getByRole('tabpanel');
  await expect(panel).toContainText('3 agents assigned to Acme Corp now.');
  await expect(panel.getByRole('table', { name: 'Agents of Acme Corp' }).locator('tbody tr')).toHaveCount(3);
  await expect(panel.getByRole('combobox', { name: 'Assign agent' })).toHaveCount(0);
  for (const hidden of ['Rival Bot', 'Free Bot', 'Globex']) await expect(body).not.toContainText(hidden);

  // Over HTTP with her cookie: unassigned agents are refused, the list is her org's.
  const refused = await page.request.post(`${server.url}/api/agents.list`, { data: { org: 'unassigned' } });
  expect(refused.status()).toBe(403);
  const listed = await page.request.post(`${server.url}/api/agents.list`, { data: {} });
  const { data } = (await listed.json()) as { data: { total: number; items: { org: { slug: string } }[] } };
  expect(data.total).toBe(3);
  expect(data.items.every((agent) => agent.org.slug === 'acme')).toBe(true);
});

test('a bound user unassigns as of now: no effective time in the past is offered', async ({
  page,
  server,
}) => {
  await signIn(page, server.url, UNA);
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Agents' })
    .click();
  const table = page.getByRole('table', { name: 'Agents' });
  for (const scheme of ['light', 'dark'] as const) {
    const html = page.locator('html');
    if ((await html.getAttribute('data-mantine-color-scheme')) !== scheme)
      await page.getByRole('button', { name: `Switch to ${scheme} theme` }).click();
    await table.getByText('acme-bot', { exact: true }).click();
    const drawer = page.getByRole('dialog', { name: 'Acme Bot', exact: true });
    await drawer.getByRole('button', { name: 'Unassign', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: 'Unassign Acme Bot?' });
    await expect(confirm).toBeVisible();
    // Dating it in the past is for owners and admins; the server refuses it to her anyway.
    await expect(confirm.getByRole('button', { name: 'Advanced' })).toHaveCount(0);
    await expect(confirm.getByLabel('Effective time')).toHaveCount(0);
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      await saveScreen(page, `agents-unassign-bound-${scheme}-${width}`);
    }
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toBeHidden();
    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();
  }
});
