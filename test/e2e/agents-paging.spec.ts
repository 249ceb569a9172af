import type { Page } from '@playwright/test';
import type { Org } from '../../shared/contract/orgs';
import { cli, initOwner } from './console-server';
import { expect, saveScreen, signIn, test } from './fixtures';

/** The owner, Acme Corp and Globex. */
function seedTwoOrgs(dataDir: string): void {
  initOwner(dataDir);
  cli(dataDir, ['org', 'create', '--name', 'Acme Corp', '--slug', 'acme']);
  cli(dataDir, ['org', 'create', '--name', 'Globex', '--slug', 'globex']);
}

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, seedTwoOrgs));

const orgBySlug = (dataDir: string, slug: string) =>
  JSON.parse(cli(dataDir, ['org', 'show', slug, '--json'])) as Org;
const pad = (n: number) => String(n).padStart(3, '0');

/** Calls a channel over HTTP with the signed-in page's cookie, as the console itself does. */
async function post(page: Page, url: string, channel: string, data: object): Promise<unknown> {
  const response = await page.request.post(`${url}/api/${channel}`, { data });
  const body = (await response.json()) as { ok: boolean; data?: unknown; error?: unknown };
  expect(body, `${channel} ${JSON.stringify(data)}`).toMatchObject({ ok: true });
  return body.data;
}

test('120 agents page, sort, search and filter on the server', async ({ page, server, dataDir }) => {
  test.slow();
  const acme = orgBySlug(dataDir, 'acme');
  const globex = orgBySlug(dataDir, 'globex');
  await signIn(page, server.url);
  // 1–30 in Acme, 31–40 in Globex, the rest unassigned; every tenth paused; every third on gpt-5.
  for (let batch = 0; batch < 12; batch++) {
    await Promise.all(
      Array.from({ length: 10 }, (_, k) => {
        const i = batch * 10 + k + 1;
        return post(page, server.url, 'agents.create', {
          name: `Agent ${pad(i)}`,
          handle: `agent-${pad(i)}`,
          model: i % 3 === 0 ? 'gpt-5' : 'claude-sonnet-4-5',
          ...(i % 10 === 0 ? { status: 'paused' } : {}),
          ...(i <= 30 ? { orgId: acme.id } : i <= 40 ? { orgId: globex.id } : {}),
        });
      }),
    );
  }

  await page.getByRole('link', { name: 'Agents' }).click();
  const table = page.getByRole('table', { name: 'Agents' });
  const rows = table.locator('tbody tr');
  const range = page.getByText(/^\d+–\d+ of \d+$/);
  await expect(range).toHaveText('1–50 of 120');
  await expect(page.getByText('All organizations · 120 agents')).toBeVisible();
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText('Agent 001');
  await expect(rows.last()).toContainText('Agent 050');

  await page.getByRole('button', { name: 'Page 2', exact: true }).click();
  await expect(range).toHaveText('51–100 of 120');
  await expect(rows.first()).toContainText('Agent 051');
  await page.getByRole('button', { name: 'Page 3', exact: true }).click();
  await expect(range).toHaveText('101–120 of 120');
  await expect(rows).toHaveCount(20);
  await expect(rows.last()).toContainText('Agent 120');

  // Sorting is the server's, over all 120, and starts again at page 1.
  await table.getByRole('columnheader', { name: 'Name' }).click();
  await expect(table.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'descending');
  await expect(range).toHaveText('1–50 of 120');
  await expect(rows.first()).toContainText('Agent 120');
  await table.getByRole('columnheader', { name: 'Model' }).click();
  await expect(table.getByRole('columnheader', { name: 'Model' })).toHaveAttribute('aria-sort', 'ascending');
  await expect(rows.first()).toContainText('claude-sonnet-4-5');
  await table.getByRole('columnheader', { name: 'Model' }).click();
  await expect(rows.first()).toContainText('gpt-5');
  await table.getByRole('columnheader', { name: 'Organization' }).click();
  await table.getByRole('columnheader', { name: 'Organization' }).click();
  await expect(table.getByRole('columnheader', { name: 'Organization' })).toHaveAttribute(
    'aria-sort',
    'descending',
  );
  await expect(rows.first()).toContainText('Globex');
  await table.getByRole('columnheader', { name: 'Name' }).click();
  await expect(rows.first()).toContainText('agent-001');
  await page.getByRole('button', { name: 'Page 3', exact: true }).click();
  await expect(rows.first()).toContainText('agent-101');

  // Search covers handles too; filters combine.
  await page.getByLabel('Search agents').fill('agent-11');
  await expect(range).toHaveText('1–10 of 10');
  await expect(page.getByText('All organizations · 10 agents match')).toBeVisible();
  await expect(rows.first()).toContainText('agent-110');
  await page.getByLabel('Search agents').fill('');
  await page.getByRole('combobox', { name: 'Status filter' }).click();
  await page.getByRole('option', { name: 'Paused' }).click();
  await expect(range).toHaveText('1–12 of 12');
  await expect(rows.first()).toContainText('Paused');

  // Globex is deactivated elsewhere: its ten agents are "stopped by org", a filter of its own.
  await post(page, server.url, 'orgs.deactivate', { id: globex.id });
  await page.getByRole('combobox', { name: 'Status filter' }).click();
  await page.getByRole('option', { name: 'Stopped by org' }).click();
  await expect(range).toHaveText('1–10 of 10');
  await expect(rows.first()).toContainText('Stopped by org');
  await expect(rows.first()).toContainText('Globex');
  await saveScreen(page, 'agents-stopped-by-org');
  await page.getByRole('combobox', { name: 'Status filter' }).click();
  await page.getByRole('option', { name: 'All statuses' }).click();

  // The switcher's org narrows the list; "Unassigned only" shows the ones in no org.
  await page.getByRole('combobox', { name: 'Organization', exact: true }).click();
  await page.getByRole('option', { name: 'Acme Corp' }).click();
  await expect(page.getByText('Acme Corp · 30 agents')).toBeVisible();
  await expect(range).toHaveText('1–30 of 30');
  await page.getByRole('switch', { name: 'Unassigned only' }).check();
  await expect(page.getByText('Unassigned agents · 80 agents match')).toBeVisible();
  await expect(range).toHaveText('1–50 of 80');
  await expect(rows.first()).toContainText('Unassigned');
});
