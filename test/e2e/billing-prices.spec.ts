import { resolve } from 'node:path';
import type { Price } from '../../shared/contract/billing';
import { cli, initOwner } from './console-server';
import { expect, saveScreen, signIn, test } from './fixtures';

const LITELLM = resolve(import.meta.dirname, '../fixtures/litellm-model-prices.json');

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, initOwner));

const prices = (dataDir: string) => JSON.parse(cli(dataDir, ['price', 'list', '--json'])) as Price[];

test('a LiteLLM cost map is previewed (new, changed, same) and applied; a price is set by hand', async ({
  page,
  server,
  dataDir,
}) => {
  test.slow();
  // gpt-4o at an old price (LiteLLM says $2.50 / $10.00); gpt-4o-mini already at LiteLLM's
  // $0.15 / $0.60 with its cache, batch and priority rates.
  cli(dataDir, ['price', 'set', 'gpt-4o', '--input', '2.00', '--output', '8.00', '--from', '2026-01-01']);
  cli(dataDir, [
    'price',
    'set',
    'gpt-4o-mini',
    '--input',
    '0.15',
    '--output',
    '0.60',
    ...['cache_read=0.075', 'cache_read@priority=0.125', 'input@batch=0.075', 'input@priority=0.25'].flatMap(
      (rate) => ['--rate', rate],
    ),
    ...['output@batch=0.30', 'output@priority=1.00'].flatMap((rate) => ['--rate', rate]),
    '--from',
    '2026-01-01',
  ]);
  // The CLI's dry run is the oracle for the counts the screen must show.
  const expected = JSON.parse(cli(dataDir, ['price', 'import-litellm', LITELLM, '--dry-run', '--json'])) as {
    from: string;
    changes: { model: string; kind: 'new' | 'changed' | 'same' }[];
    skipped: unknown[];
  };
  const count = (kind: string) => expected.changes.filter((change) => change.kind === kind).length;
  expect(count('changed')).toBe(1);
  expect(count('same')).toBe(1);
  expect(count('new')).toBeGreaterThan(100);

  await signIn(page, server.url);
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Billing' })
    .click();
  await page.getByRole('tab', { name: 'Model prices' }).click();
  await expect(page).toHaveURL(/#\/billing\/prices$/);
  const table = page.getByRole('table', { name: 'Model prices' });
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(table.getByRole('row', { name: /gpt-4o Current/ }).getByRole('cell')).toHaveText([
    'gpt-4oCurrent',
    '2026-01-01',
    '$2.00',
    '$8.00',
    '—',
    'manual',
    '',
  ]);

  await page.getByRole('button', { name: 'Import LiteLLM' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import LiteLLM prices' });
  const chooser = page.waitForEvent('filechooser');
  await dialog.getByRole('button', { name: 'LiteLLM JSON file' }).click();
  await (await chooser).setFiles(LITELLM);
  const counts = dialog.getByRole('group', { name: 'Preview counts' });
  await expect(counts).toContainText(`${count('new')} new`);
  await expect(counts).toContainText('1 changed');
  await expect(counts).toContainText('1 same');
  await expect(counts).toContainText(`${expected.skipped.length} skipped`);
  await expect(dialog).toContainText(`From ${expected.from}`);
  // No usage imported yet: the prices start today and price no imported month.
  await expect(dialog).toContainText('No usage imported from this day on');
  const changes = dialog.getByRole('table', { name: 'Price changes' });
  await expect(changes.getByRole('row', { name: /^gpt-4o Changed/ }).getByRole('cell')).toHaveText([
    'gpt-4o',
    'Changed',
    '$2.00 / $8.00',
    '$2.50 / $10.00',
  ]);
  await expect(changes.getByRole('row', { name: /^gpt-4o-mini / })).toHaveCount(0);
  await expect(changes.getByRole('row').nth(1)).toContainText('gpt-4oChanged');
  await expect(changes.getByRole('row', { name: /claude-3-haiku-20240307/ })).toContainText('New');
  await saveScreen(page, 'billing-litellm-preview');
  const changed = count('new') + count('changed');
  await dialog.getByRole('button', { name: `Apply ${changed} changes` }).click();
  await expect(dialog).toBeHidden();
  await expect(
    page.getByText(`${changed} model prices from ${expected.from}; 0 months of imported usage priced.`),
  ).toBeVisible();

  const stored = prices(dataDir);
  expect(stored).toHaveLength(2 + changed);
  expect(stored.filter((price) => price.model === 'gpt-4o')).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ from: '2026-01-01', input: '2.00', output: '8.00', source: 'manual' }),
      expect.objectContaining({ from: expected.from, input: '2.50', output: '10.00' }),
    ]),
  );

  // The history of one model: today's LiteLLM price is current, January's is kept.
  await page.getByRole('textbox', { name: 'Search models' }).fill('gpt-4o');
  const gpt4o = table.getByRole('row').filter({ has: page.getByText('gpt-4o', { exact: true }) });
  await expect(gpt4o).toHaveCount(2);
  await expect(gpt4o.nth(0)).toContainText(`gpt-4oCurrent${expected.from}$2.50$10.00`);
  await expect(gpt4o.nth(1)).toContainText('gpt-4o2026-01-01$2.00$8.00—manual');
  await saveScreen(page, 'billing-prices');

  // A price by hand, from a day in the past.
  await page.getByRole('button', { name: 'Set price', exact: true }).click();
  const set = page.getByRole('dialog', { name: 'Set price' });
  await set.getByLabel('Model').fill('mystery-model');
  await set.getByRole('textbox', { name: 'Input' }).fill('1.5x');
  await set.getByRole('textbox', { name: 'Output' }).fill('3');
  await set.getByLabel('Effective from').fill('2026-09-01');
  await set.getByRole('button', { name: 'Set price' }).click();
  await expect(set).toContainText('A price is USD per million tokens');
  await set.getByRole('textbox', { name: 'Input' }).fill('1.5');
  await set.getByRole('button', { name: 'Set price' }).click();
  await expect(set).toBeHidden();
  await page.getByRole('textbox', { name: 'Search models' }).fill('mystery');
  await expect(table.getByRole('row').nth(1)).toContainText(
    'mystery-modelCurrent2026-09-01$1.50$3.00—manual',
  );
  expect(prices(dataDir).find((price) => price.model === 'mystery-model')).toMatchObject({
    from: '2026-09-01',
    source: 'manual',
  });
});
