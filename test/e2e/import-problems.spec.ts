import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, initOwner } from './console-server';
import { dismissToasts, expect, saveScreen, signIn, test } from './fixtures';

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, initOwner));

test('an import that brought nothing in says so, groups its problems and offers to create the agent they name', async ({
  page,
  server,
  dataDir,
}) => {
  test.slow();
  const rows = ['timestamp,agent,model,input_tokens,output_tokens'];
  for (let row = 1; row <= 25; row++) rows.push(`2026-10-01T10:00:00Z,legacy-helpdesk,gpt-4o,${row},1`);
  rows.push('2026-10-02T10:00:00Z,legacy-helpdesk,gpt-4o,1.5,1');
  const file = join(dataDir, 'legacy.csv');
  writeFileSync(file, `${rows.join('\n')}\n`);
  cli(dataDir, ['usage', 'import', file]);

  await signIn(page, server.url);
  await page.goto(`${server.url}/#/billing/usage`);
  const history = page
    .getByRole('table', { name: 'Recent imports' })
    .getByRole('row', { name: /legacy\.csv/ });
  // Not "Done": the import left every row out.
  await expect(history).toContainText('Nothing imported');
  await history.click();
  const job = page.getByRole('region', { name: 'Import job' });
  await expect(job.getByRole('alert').filter({ hasText: 'Nothing imported' })).toBeVisible();
  await expect(job.getByText('Import finished')).toHaveCount(0);
  const problems = job.getByRole('list', { name: 'Problems' }).getByRole('listitem');
  await expect(problems).toHaveCount(2);
  await expect(problems.first()).toContainText('25 rows: no agent with the handle "legacy-helpdesk"');
  await expect(problems.nth(1)).toContainText('1 row: input_tokens');
  await expect(problems.nth(1).getByRole('button')).toHaveCount(0);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: width === 1440 ? 900 : 768 });
      await saveScreen(page, `import-problems-${scheme}-${width}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });

  await problems.first().getByRole('button', { name: 'Create agent legacy-helpdesk' }).click();
  const dialog = page.getByRole('dialog', { name: 'New agent' });
  await expect(dialog.getByLabel('Handle')).toHaveValue('legacy-helpdesk');
  await dialog.getByRole('button', { name: 'Create agent' }).click();
  await expect(dialog).toBeHidden();
  await dismissToasts(page);
  const agents = JSON.parse(cli(dataDir, ['agent', 'list', '--json'])) as { handle: string }[];
  expect(agents.map((agent) => agent.handle)).toContain('legacy-helpdesk');
});

test('a handle no agent has maps to an existing agent, and importing again counts its rows for that agent', async ({
  page,
  server,
  dataDir,
}) => {
  test.slow();
  cli(dataDir, ['agent', 'create', '--name', 'Helpdesk', '--handle', 'helpdesk']);
  const rows = ['timestamp,agent,model,input_tokens,output_tokens'];
  for (let row = 1; row <= 25; row++)
    rows.push(`2026-10-01T10:00:${String(row).padStart(2, '0')}Z,legacy-helpdesk,gpt-4o,${row},1`);
  const file = join(dataDir, 'legacy.csv');
  writeFileSync(file, `${rows.join('\n')}\n`);
  cli(dataDir, ['usage', 'import', file]);

  await signIn(page, server.url);
  await page.goto(`${server.url}/#/billing/usage`);
  await page
    .getByRole('table', { name: 'Recent imports' })
    .getByRole('row', { name: /legacy\.csv/ })
    .click();
  const problem = page
    .getByRole('region', { name: 'Import job' })
    .getByRole('list', { name: 'Problems' })
    .getByRole('listitem')
    .first();
  await expect(problem).toContainText('25 rows: no agent with the handle "legacy-helpdesk"');
  await problem.getByRole('button', { name: 'Map legacy-helpdesk to an agent' }).click();
  const dialog = page.getByRole('dialog', { name: 'Map to an agent' });
  await expect(dialog).toContainText('Orgdeck handle legacy-helpdesk');
  await dialog.getByRole('combobox', { name: 'Agent' }).fill('help');
  await page.getByRole('option', { name: 'Helpdesk (helpdesk)' }).click();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: width === 1440 ? 900 : 768 });
      await saveScreen(page, `import-problems-map-${scheme}-${width}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await dialog.getByRole('button', { name: 'Map', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Orgdeck handle legacy-helpdesk now counts as Helpdesk')).toBeVisible();

  const aliases = JSON.parse(cli(dataDir, ['agent', 'alias', 'list', 'helpdesk', '--json'])) as unknown[];
  expect(aliases).toMatchObject([{ source: 'orgdeck', kind: 'handle', value: 'legacy-helpdesk' }]);
  // The rows left out were never marked seen: importing again counts every one for Helpdesk.
  const again = JSON.parse(cli(dataDir, ['usage', 'import', file, '--json'])) as Record<string, number>;
  expect(again).toMatchObject({ imported: 25, skipped: 0, bad: 0 });
});
