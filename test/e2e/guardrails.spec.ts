import type { BrowserContext, Locator, Page } from '@playwright/test';
import type { Org } from '../../shared/contract/orgs';
import type { Policy } from '../../shared/contract/policies';
import { cli, createUser, initOwner } from './console-server';
import { dismissToasts, expect, saveScreen, signIn, test } from './fixtures';

// Several CLI runs set the stage, each starting a process: on a busy machine that alone takes seconds.
test.describe.configure({ timeout: 90_000 });

/** The owner, Acme Corp (Berlin) and Globex. */
function seedTwoOrgs(dataDir: string): void {
  initOwner(dataDir);
  cli(dataDir, ['org', 'create', '--name', 'Acme Corp', '--slug', 'acme', '--timezone', 'Europe/Berlin']);
  cli(dataDir, ['org', 'create', '--name', 'Globex', '--slug', 'globex']);
}

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, seedTwoOrgs));

const policiesOf = (dataDir: string, slug: string) =>
  JSON.parse(cli(dataDir, ['policy', 'list', '--org', slug, '--json'])) as Policy[];
const orgBySlug = (dataDir: string, slug: string) =>
  JSON.parse(cli(dataDir, ['org', 'show', slug, '--json'])) as Org;

async function openGuardrails(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Guardrails' })
    .click();
  await expect(page).toHaveURL(/#\/guardrails$/);
  await expect(page.getByRole('heading', { name: 'Guardrails', level: 2 })).toBeVisible();
}

/** Types an entry into a list field (topics, tools, approvers) and confirms it with Enter. */
async function addEntry(scope: Locator, label: string, value: string): Promise<void> {
  const input = scope.getByLabel(label, { exact: true });
  await input.fill(value);
  await input.press('Enter');
}

async function pickOption(scope: Locator, combobox: string, option: string): Promise<void> {
  await scope.getByRole('combobox', { name: combobox }).click();
  await scope.page().getByRole('option', { name: option, exact: true }).click();
}

test('a policy is created, edited twice and restored to version 1, which comes back as version 4', async ({
  page,
  server,
  dataDir,
}) => {
  test.slow();
  await signIn(page, server.url);
  await openGuardrails(page);

  // Policies belong to one org: with "All organizations" in the switcher the page shows which
  // clients have which kinds, and asks for one to open.
  await expect(page.getByRole('heading', { name: 'Coverage across organizations' })).toBeVisible();
  await pickOption(page.getByRole('main'), 'Choose an organization', 'Acme Corp');
  await expect(page.getByRole('combobox', { name: 'Organization', exact: true })).toHaveValue('Acme Corp');
  await expect(page.getByRole('heading', { name: 'No policies in Acme Corp yet' })).toBeVisible();
  await saveScreen(page, 'guardrails-empty');

  // The contract's per-kind rules show on the fields, and nothing is saved.
  await page.getByRole('button', { name: 'New policy' }).click();
  const create = page.getByRole('dialog', { name: 'New policy for Acme Corp' });
  await create.getByLabel('Name').fill('No politics');
  await create.getByRole('button', { name: 'Create policy' }).click();
  await expect(create.getByText('List at least one topic')).toBeVisible();
  await pickOption(create, 'Kind', 'Approval required');
  await addEntry(create, 'Tools that need approval', 'send_payment');
  await addEntry(create, 'Approvers', 'lead@acme.test');
  await addEntry(create, 'Approvers', 'not-an-email');
  await create.getByRole('button', { name: 'Create policy' }).click();
  await expect(create.getByText('Entry 2: Enter a valid email address')).toBeVisible();
  await pickOption(create, 'Kind', 'Spend limit');
  await create.getByLabel('Monthly limit').fill('12.345');
  await create.getByRole('button', { name: 'Create policy' }).click();
  await expect(create.getByText(/at most 2 decimals/)).toBeVisible();
  await saveScreen(page, 'guardrails-validation');
  expect(policiesOf(dataDir, 'acme')).toEqual([]);

  // Version 1: a topic block on politics.
  await pickOption(create, 'Kind', 'Topic block');
  await addEntry(create, 'Blocked topics', 'politics');
  await create.getByRole('button', { name: 'Create policy' }).click();
  await expect(create).toBeHidden();
  await expect(page.getByText('No politics is version 1, enabled.')).toBeVisible();
  const table = page.getByRole('table', { name: 'Policies' });
  const row = table.getByRole('row', { name: /politics/ });
  await expect(row.getByRole('cell')).toHaveText([
    /No politics\s*Blocks politics/,
    'Topic block',
    '',
    'v1',
    // On the viewer's clock, the zone named (Acme's Berlin time is in the tooltip).
    /\d:\d\d\s?[AP]M \S+$/,
  ]);

  // Two edits: version 2 adds a topic, version 3 renames it and adds a message.
  await row.getByRole('button', { name: 'Open No politics' }).click();
  // Named after the policy, which the second edit renames and the restore names back.
  const drawer = page.getByRole('dialog', { name: /No politics|Sensitive topics/ });
  const form = drawer.getByRole('form', { name: 'Policy settings' });
  await addEntry(form, 'Blocked topics', 'religion');
  await form.getByRole('button', { name: 'Save as version 2' }).click();
  await expect(page.getByText('No politics is now version 2.')).toBeVisible();
  await dismissToasts(page);
  await form.getByLabel('Name').fill('Sensitive topics');
  await form.getByLabel('Message').fill('I cannot talk about that.');
  await form.getByRole('button', { name: 'Save as version 3' }).click();
  await expect(page.getByText('Sensitive topics is now version 3.')).toBeVisible();
  await dismissToasts(page);

  const versions = drawer.getByRole('table', { name: 'Versions' });
  await expect(versions.getByRole('row')).toHaveText([
    /Version\s*Change\s*By \/ when/,
    /^v3\s*current\s*edited\s*Olivia Owner/,
    /^v2\s*edited\s*Olivia Owner/,
    /^v1\s*created\s*Olivia Owner/,
  ]);
  await drawer.getByRole('button', { name: 'View version 1' }).click();
  const v1 = drawer.getByRole('table', { name: 'Version 1' });
  await expect(v1.getByRole('row')).toHaveText([
    /Name\s*No politics/,
    /Description\s*—/,
    /State\s*Enabled/,
    /Blocked topics\s*politics$/,
    /Message\s*—/,
  ]);
  await v1.scrollIntoViewIfNeeded();
  await saveScreen(page, 'guardrails-history');

  await drawer.getByRole('button', { name: 'Restore version 1' }).click();
  const confirm = page.getByRole('dialog', { name: 'Restore version 1?' });
  await expect(confirm).toContainText('become version 4 of Sensitive topics');
  await confirm.getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByText('Version 1 is back as version 4.')).toBeVisible();

  // Version 1's settings are the newest version: the form, the history and the list say so.
  await expect(page.getByRole('dialog', { name: 'No politics' })).toBeVisible();
  await expect(form.getByLabel('Name')).toHaveValue('No politics');
  await expect(form.getByLabel('Message')).toHaveValue('');
  await expect(form.getByText('politics', { exact: true })).toBeVisible();
  await expect(form.getByText('religion', { exact: true })).toHaveCount(0);
  await expect(versions.getByRole('row', { name: /^v\d/ })).toHaveText([
    /^v4\s*current\s*restored from v1\s*Olivia Owner/,
    /^v3\s*edited/,
    /^v2\s*edited/,
    /^v1\s*created/,
  ]);
  const [stored] = policiesOf(dataDir, 'acme');
  expect(stored).toMatchObject({
    name: 'No politics',
    version: 4,
    enabled: true,
    config: { kind: 'topic_block', topics: ['politics'] },
  });
  expect(stored?.config).not.toHaveProperty('message');
  await dismissToasts(page);
  await saveScreen(page, 'guardrails-restored');

  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect(row.getByRole('cell').nth(3)).toHaveText('v4');
  await saveScreen(page, 'guardrails-list');
});

test('defaults, enabling, copying and deleting; the org tab shows the same, and only pages that grant it', async ({
  browser,
  page,
  server,
  dataDir,
}) => {
  test.slow();
  const acme = orgBySlug(dataDir, 'acme');
  cli(dataDir, [
    'policy',
    'add',
    '--org',
    'acme',
    '--name',
    'Redact PII',
    '--kind',
    'pii_redaction',
    '--config',
    '{"entities":["email","phone"]}',
  ]);
  for (const [email, pages] of [
    ['una@acme.test', 'agents'],
    ['gus@acme.test', 'guardrails'],
  ] as const) {
    createUser(
      dataDir,
      { email: email, name: email, password: 'a long enough passphrase' },
      { role: 'user', org: 'acme', pages: pages },
    );
  }

  // The org's Guardrails tab holds the same list and defaults.
  await signIn(page, server.url);
  await page.goto(`${server.url}/#/orgs/${acme.id}/guardrails`);
  await expect(page.getByRole('tab', { name: 'Guardrails' })).toHaveAttribute('aria-selected', 'true');
  const row = page.getByRole('table', { name: 'Policies' }).getByRole('row', { name: /Redact PII/ });
  await expect(row).toContainText('Redacts email addresses, phone numbers');

  // Switching a policy off is a version of its own.
  await row.getByRole('switch', { name: 'Redact PII enabled' }).click();
  await expect(page.getByText('Redact PII is disabled (version 2).')).toBeVisible();
  await expect(row.getByRole('cell').nth(3)).toHaveText('v2');

  // Defaults: a description becomes required, so a policy without one is refused by the server.
  const defaults = page.getByRole('form', { name: 'Policy defaults' });
  await expect(defaults.getByRole('button', { name: 'Save defaults' })).toBeDisabled();
  await defaults.getByText('Deny', { exact: true }).click();
  await defaults.getByLabel('Approval timeout (minutes)').fill('30');
  await defaults.getByLabel('Require a description on every policy').check();
  await defaults.getByRole('button', { name: 'Save defaults' }).click();
  await expect(page.getByText('Acme Corp’s policy defaults are up to date.')).toBeVisible();
  await page.getByRole('button', { name: 'New policy' }).click();
  const create = page.getByRole('dialog', { name: 'New policy for Acme Corp' });
  await create.getByLabel('Name').fill('Search only');
  await pickOption(create, 'Kind', 'Tool allowlist');
  await addEntry(create, 'Allowed tools', 'search');
  await create.getByRole('button', { name: 'Create policy' }).click();
  await expect(create.getByText('A description is required')).toBeVisible();
  await create.getByLabel('Description').fill('Agents only search.');
  await create.getByRole('button', { name: 'Create policy' }).click();
  await expect(create).toBeHidden();
  expect(policiesOf(dataDir, 'acme').map((policy) => policy.name)).toEqual(['Redact PII', 'Search only']);
  await dismissToasts(page);
  await page.evaluate('window.scrollTo(0, 0)');
  await saveScreen(page, 'guardrails-org-tab');

  // Copy to Globex: an owner may, and the copy starts at version 1 there. Globex needs no description.
  await row.getByRole('button', { name: 'Open Redact PII' }).click();
  const drawer = page.getByRole('dialog', { name: 'Redact PII' });
  await drawer.getByRole('button', { name: 'Copy to…' }).click();
  const copy = page.getByRole('dialog', { name: 'Copy Redact PII' });
  await copy.getByLabel('Organizations').click();
  await expect(page.getByRole('option', { name: 'Acme Corp' })).toHaveCount(0);
  await page.getByRole('option', { name: 'Globex' }).click();
  // The list stays open for more picks; clicking beside it closes it.
  await copy.getByText(/Each organization gets its own copy/).click();
  await copy.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(page.getByText('Redact PII is now in Globex.')).toBeVisible();
  expect(policiesOf(dataDir, 'globex')).toMatchObject([{ name: 'Redact PII', version: 1, enabled: false }]);

  // Delete asks first.
  await drawer.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete Redact PII?' });
  await expect(confirm).toContainText('its 2 versions are removed');
  await confirm.getByRole('button', { name: 'Delete policy' }).click();
  await expect(page.getByText('Redact PII is deleted.')).toBeVisible();
  await expect(drawer).toBeHidden();
  await expect(page.getByRole('table', { name: 'Policies' }).getByRole('row')).toHaveCount(2);

  const signInAs = async (email: string): Promise<[BrowserContext, Page]> => {
    const context = await browser.newContext();
    const userPage = await context.newPage();
    await signIn(userPage, server.url, { email, name: email, password: 'a long enough passphrase' });
    return [context, userPage];
  };

  // Without the Guardrails page: no nav item, no tab, and the server refuses.
  const [unaContext, una] = await signInAs('una@acme.test');
  await expect(
    una.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Guardrails' }),
  ).toHaveCount(0);
  await una.goto(`${server.url}/#/guardrails`);
  await expect(una.getByText('Not available to you')).toBeVisible();
  await una.goto(`${server.url}/#/orgs/${acme.id}`);
  await expect(una.getByRole('heading', { name: 'Acme Corp', level: 2 })).toBeVisible();
  await expect(una.getByRole('tab', { name: 'Guardrails' })).toHaveCount(0);
  const refused = await unaContext.request.post(`${server.url}/api/policies.list`, {
    data: { orgId: acme.id },
  });
  expect(refused.status()).toBe(403);
  await unaContext.close();

  // With it: their own org's policies, without the owners' and admins' copy.
  const [gusContext, gus] = await signInAs('gus@acme.test');
  await openGuardrails(gus);
  await expect(gus.getByText('Policies that limit what Acme Corp’s agents may do.')).toBeVisible();
  await gus.getByRole('button', { name: 'Open Search only' }).click();
  const gusDrawer = gus.getByRole('dialog', { name: 'Search only' });
  await expect(gusDrawer.getByRole('button', { name: 'Delete' })).toBeVisible();
  await expect(gusDrawer.getByRole('button', { name: 'Copy to…' })).toHaveCount(0);
  await gusContext.close();
});

test('with every org chosen, a coverage matrix shows which clients lack PII redaction or a spend limit', async ({
  page,
  server,
  dataDir,
}) => {
  const acme = orgBySlug(dataDir, 'acme');
  cli(dataDir, [
    'call',
    'policies.create',
    '--input',
    JSON.stringify({
      orgId: acme.id,
      name: 'Mask emails',
      config: { kind: 'pii_redaction', entities: ['email'] },
    }),
  ]);
  await signIn(page, server.url);
  await openGuardrails(page);
  const matrix = page.getByRole('table', { name: 'Guardrail coverage' });
  const cells = (name: string) => matrix.getByRole('row', { name: new RegExp(`^${name}`) }).getByRole('cell');
  // Organization, topic block, PII redaction, spend limit, approval required, tool allowlist.
  await expect(cells('Acme Corp')).toHaveText(['Acme Corp', 'None', 'On', 'Missing', 'None', 'None']);
  await expect(cells('Globex')).toHaveText(['Globex', 'None', 'Missing', 'Missing', 'None', 'None']);
  await expect(page.getByRole('main')).toContainText(
    '1 client lacks PII redaction; 2 clients lack a spend limit switched on.',
  );
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: width === 1440 ? 900 : 768 });
      await saveScreen(page, `guardrails-coverage-${scheme}-${width}`);
    }
  }
  await matrix.getByRole('button', { name: 'Globex' }).click();
  await expect(page.getByRole('heading', { name: 'No policies in Globex yet' })).toBeVisible();
});
