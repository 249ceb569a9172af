import { cli, initOwner } from './console-server';
import { expect, saveScreen, signIn, test } from './fixtures';

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, initOwner));

test('the status filter lists active, inactive and deleted orgs, each with its badge', async ({
  page,
  server,
  dataDir,
}) => {
  for (const [name, slug, rate, timezone] of [
    ['Initech', 'initech', '40.00', 'America/Chicago'],
    ['Umbrella', 'umbrella', '25.00', 'Europe/Berlin'],
    ['Hooli', 'hooli', '55.00', 'America/Los_Angeles'],
    ['Soylent', 'soylent', '32.50', 'Asia/Tokyo'],
  ] as const) {
    cli(dataDir, ['org', 'create', '--name', name, '--slug', slug, '--rate', rate, '--timezone', timezone]);
  }
  cli(dataDir, ['org', 'deactivate', 'umbrella']);
  cli(dataDir, ['org', 'delete', 'hooli', '--confirm', 'hooli']);
  await signIn(page, server.url);

  const table = page.getByRole('table', { name: 'Organizations' });
  const filter = (label: string) =>
    page.getByRole('radiogroup', { name: 'Status' }).getByText(label, { exact: true });
  const names = table.locator('tbody tr td:first-child');
  const statuses = table.locator('tbody tr td:nth-child(3)');
  await expect(page.getByRole('radio', { name: 'Active & inactive' })).toBeChecked();
  await expect(names).toHaveText(['PlatformOwner', 'Initech', 'Soylent', 'Umbrella']);
  await expect(statuses).toHaveText(['Active', 'Active', 'Active', 'Inactive']);
  await saveScreen(page, 'orgs-full');

  await filter('Inactive').click();
  await expect(names).toHaveText(['Umbrella']);
  await filter('Active').click();
  await expect(names).toHaveText(['PlatformOwner', 'Initech', 'Soylent']);
  await filter('Deleted').click();
  await expect(names).toHaveText(['Hooli']);
  await expect(statuses).toHaveText(['Deleted']);

  await table.getByRole('row', { name: /Hooli/ }).click();
  await expect(page.getByRole('heading', { name: 'Hooli', level: 2 })).toBeVisible();
  await expect(page.getByText(/Deleted — restorable until/)).toBeVisible();
});
