import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Org } from '../../shared/contract/orgs';
import { cli, OWNER } from './console-server';
import { DEMO_MONTH, seedDemo } from './demo-seed';
import { expect, saveScreen, test } from './fixtures';

test.describe.configure({ timeout: 300_000 });

// Acme's budget is long spent.
test.beforeEach(({ dataDir, seeded }) => {
  seeded(dataDir, seedDemo);
  cli(dataDir, ['org', 'update', 'acme-corp', '--budget', '1.00']);
});

test('owners land on Home, which names what needs attention and links each item to its detail', async ({
  page,
  server,
  dataDir,
}) => {
  // A model without a price; an agent in no org; a file of unknown agents.
  const extra = join(dataDir, 'extra.csv');
  writeFileSync(
    extra,
    [
      'timestamp,agent,model,input_tokens,output_tokens',
      `${DEMO_MONTH}-12T10:00:00Z,acme-support,legacy-model-x,5000,1000`,
      `${DEMO_MONTH}-13T10:00:00Z,onboarding,gpt-4o,200000,40000`,
      '',
    ].join('\n'),
  );
  cli(dataDir, ['usage', 'import', extra]);
  const unknown = join(dataDir, 'legacy-export.csv');
  writeFileSync(
    unknown,
    `timestamp,agent,model,input_tokens,output_tokens\n${DEMO_MONTH}-14T10:00:00Z,legacy-helpdesk,gpt-4o,10,10\n`,
  );
  cli(dataDir, ['usage', 'import', unknown]);
  const acme = JSON.parse(cli(dataDir, ['org', 'show', 'acme-corp', '--json'])) as Org;

  // Signing in at the console's address opens Home for an owner.
  await page.goto(server.url);
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Home', exact: true })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByRole('link', { name: 'Home' })).toHaveAttribute('data-active', 'true');

  // The demo month, kept in the address.
  await page.getByRole('combobox', { name: 'Month' }).click();
  await page.getByRole('option', { name: DEMO_MONTH, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`#/\\?month=${DEMO_MONTH}$`));
  await expect(page.getByRole('group', { name: 'Revenue', exact: true })).toContainText('$');

  const budgets = page.getByRole('region', { name: 'Budgets' });
  await expect(budgets).toContainText('Acme Corp');
  await expect(budgets).toContainText('of $1.00');
  await expect(page.getByRole('region', { name: 'Unpriced models' })).toContainText('legacy-model-x');
  await expect(page.getByRole('region', { name: 'Unpriced models' })).toContainText('6,000 tokens');
  await expect(page.getByRole('region', { name: 'Unattributed usage' })).toContainText('240,000 tokens');
  const failed = page.getByRole('region', { name: 'Failed imports' });
  await expect(failed).toContainText('legacy-export.csv');
  await expect(failed).toContainText('Nothing imported: 1 row was refused.');
  const agents = page.getByRole('region', { name: 'Most expensive agents' }).getByRole('listitem');
  await expect(agents).toHaveCount(5);
  await expect(
    page.getByRole('region', { name: 'Lowest margins' }).getByRole('link', { name: 'Initech' }),
  ).toBeVisible();

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: width === 1440 ? 900 : 768 });
      await saveScreen(page, `home-${scheme}-${width}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1440, height: 900 });

  // Each item opens its detail.
  await budgets.getByRole('link', { name: 'Acme Corp' }).click();
  await expect(page).toHaveURL(new RegExp(`#/orgs/${acme.id}/billing$`));
  await page.goBack();
  await failed.getByRole('link', { name: 'legacy-export.csv' }).click();
  await expect(page.getByRole('tab', { name: 'Usage import' })).toHaveAttribute('aria-selected', 'true');
  await page.goBack();
  const costliest = (await agents.first().getByRole('link').textContent()) ?? '';
  await agents.first().getByRole('link').click();
  await expect(page.getByRole('dialog', { name: costliest })).toBeVisible();
});

test('with an org chosen in the switcher, Home is that org’s, and one click shows every org again', async ({
  page,
  server,
}) => {
  await page.goto(server.url);
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.goto(`${server.url}/#/?month=${DEMO_MONTH}`);
  await expect(page.getByRole('heading', { name: 'Home', exact: true })).toBeVisible();
  const agents = page.getByRole('region', { name: 'Most expensive agents' }).getByRole('listitem');
  await expect(agents).toHaveCount(5);
  await expect(page.getByRole('region', { name: 'Lowest margins' })).toContainText('Initech');

  const switcher = page.getByRole('combobox', { name: 'Organization', exact: true });
  await switcher.click();
  await page.getByRole('option', { name: 'Acme Corp' }).click();
  await expect(page.getByRole('heading', { name: 'Home · Acme Corp' })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`month=${DEMO_MONTH}`));
  await expect(page).toHaveURL(/in=acme-corp/);
  const lowest = page.getByRole('region', { name: 'Lowest margins' });
  await expect(lowest.getByRole('listitem')).toHaveCount(1);
  await expect(lowest).toContainText('Acme Corp');
  await expect(page.getByRole('region', { name: 'Budgets' })).toContainText('of $1.00');
  // Every agent listed is Acme's, and agents in no org are no part of an org's home.
  for (const item of await agents.all()) await expect(item).toContainText('in Acme Corp');
  await expect(page.getByRole('region', { name: 'Unattributed usage' })).toContainText(
    'All usage this month belongs to an organization.',
  );
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: width === 1440 ? 900 : 768 });
      await saveScreen(page, `home-org-${scheme}-${width}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1440, height: 900 });

  // A reload keeps the org; the all-orgs view is one click away, and the switcher follows.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Home · Acme Corp' })).toBeVisible();
  await page.getByRole('button', { name: 'Show all organizations' }).click();
  await expect(page.getByRole('heading', { name: 'Home', exact: true })).toBeVisible();
  await expect(switcher).toHaveValue('All organizations');
  await expect(page.getByRole('region', { name: 'Lowest margins' })).toContainText('Initech');
});
