import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedOwnerAndBilling } from './billing-setup';
import { expect, saveScreens, signIn, test } from './fixtures';

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, seedOwnerAndBilling));

test('agents import from CSV: a preview names each bad row by its line, and a file with one bad row imports nothing', async ({
  page,
  server,
  dataDir,
}) => {
  test.slow();
  await signIn(page, server.url);
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Agents' })
    .click();
  const rows = page.getByRole('table', { name: 'Agents' }).locator('tbody tr');
  await expect(rows).toHaveCount(3);

  const bad = join(dataDir, 'bad-agents.csv');
  writeFileSync(
    bad,
    'name,handle,email,model,org,rate\nEcho,echo,echo@agents.test,gpt-4o,acme,\nFoxtrot,foxtrot,,gpt-4o,nowhere,\nAlpha Two,alpha,,,,\n',
  );
  await page.getByRole('button', { name: 'Import CSV' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import agents from CSV' });
  let chooser = page.waitForEvent('filechooser');
  await dialog.getByRole('button', { name: 'CSV file' }).click();
  await (await chooser).setFiles(bad);
  const preview = dialog.getByRole('table', { name: 'Agents to import' });
  await expect(preview.getByRole('row', { name: /foxtrot/ })).toContainText(
    'No organization with the slug “nowhere”',
  );
  await expect(
    preview
      .getByRole('row', { name: /foxtrot/ })
      .getByRole('cell')
      .first(),
  ).toHaveText('3');
  await expect(preview.getByRole('row', { name: /Alpha Two/ })).toContainText('This handle is taken');
  await expect(preview.getByRole('row', { name: /echo/ })).toContainText('OK');
  await expect(dialog.getByRole('group', { name: 'Check result' })).toContainText('2 rows with problems');
  await expect(dialog.getByRole('button', { name: 'Import', exact: true })).toBeDisabled();
  await saveScreens(page, 'tables-agent-import-preview');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(rows).toHaveCount(3);

  const good = join(dataDir, 'good-agents.csv');
  writeFileSync(
    good,
    'name,handle,email,model,org,rate\nEcho,echo,,gpt-4o,acme,\nFoxtrot,foxtrot,,,,55.00\n',
  );
  await page.getByRole('button', { name: 'Import CSV' }).click();
  chooser = page.waitForEvent('filechooser');
  await dialog.getByRole('button', { name: 'CSV file' }).click();
  await (await chooser).setFiles(good);
  await dialog.getByRole('button', { name: 'Import 2 agents' }).click();
  await expect(dialog).toBeHidden();
  await expect(rows).toHaveCount(5);
  await expect(page.getByRole('table', { name: 'Agents' }).getByRole('row', { name: /Echo/ })).toContainText(
    'Acme Corp',
  );
  await expect(
    page.getByRole('table', { name: 'Agents' }).getByRole('row', { name: /Foxtrot/ }),
  ).toContainText('$55.00');
});
