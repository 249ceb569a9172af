import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import type { AuditEntry } from '../../shared/contract/audit';
import type { Org } from '../../shared/contract/orgs';
import type { Policy } from '../../shared/contract/policies';
import { cli, createUser, initOwner } from './console-server';
import { dismissToasts, expect, saveScreen, saveScreens, signIn, test } from './fixtures';

// Several CLI runs set the stage, each starting a process: on a busy machine that alone takes seconds.
test.describe.configure({ timeout: 90_000 });

const ADA = { email: 'ada@acme.test', name: 'Ada Auditor', password: 'ada passphrase 1' };

/** Events in two orgs: policy changes in both, an org edit in Globex, and a user (of no org). */
function seedAuditTrail(dataDir: string): void {
  initOwner(dataDir);
  cli(dataDir, ['org', 'create', '--name', 'Acme Corp', '--slug', 'acme', '--timezone', 'Europe/Berlin']);
  cli(dataDir, ['org', 'create', '--name', 'Globex', '--slug', 'globex', '--timezone', 'America/New_York']);
  const policy = JSON.parse(
    cli(dataDir, [
      'policy',
      'add',
      '--org',
      'acme',
      '--name',
      'No politics',
      '--kind',
      'topic_block',
      '--config',
      '{"topics":["politics"]}',
      '--json',
    ]),
  ) as Policy;
  cli(dataDir, ['policy', 'update', policy.id, '--name', 'Sensitive topics']);
  cli(dataDir, ['policy', 'disable', policy.id]);
  cli(dataDir, [
    'policy',
    'add',
    '--org',
    'globex',
    '--name',
    'Cap',
    '--kind',
    'spend_limit',
    '--config',
    '{"monthlyUsd":"500.00","action":"block"}',
  ]);
  cli(dataDir, ['org', 'update', 'globex', '--contact-name', 'Hank Scorpio']);
  // Acme's usage terms: what the MSP marks its cost up by, which Acme's own users must not read.
  cli(dataDir, ['org', 'update', 'acme', '--usage-markup', '37.5', '--minimum', '420']);
  createUser(dataDir, ADA, { role: 'user', org: 'acme', pages: 'audit' });
}

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, seedAuditTrail));

/** The trail as the CLI lists it, newest first. */
const trail = (dataDir: string, ...filters: string[]) =>
  JSON.parse(cli(dataDir, ['audit', 'list', '--limit', '500', ...filters, '--json'])) as AuditEntry[];
const orgBySlug = (dataDir: string, slug: string) =>
  JSON.parse(cli(dataDir, ['org', 'show', slug, '--json'])) as Org;

async function openAudit(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Audit' })
    .click();
  await expect(page.getByRole('heading', { name: 'Audit', level: 2 })).toBeVisible();
}

/** The listed entries' rows (not the header, not an opened summary). */
const entryRows = (page: Page): Locator =>
  page
    .getByRole('table', { name: 'Audit entries' })
    .getByRole('row')
    .filter({ has: page.getByRole('button', { name: /what changed in entry/ }) });
const column = (page: Page, n: number) => entryRows(page).locator(`td:nth-child(${n})`);
const ORG_COLUMN = 4;
const ACTION_COLUMN = 5;

test('the audit page filters by org, action and days, keeps its filters in the address and exports them', async ({
  page,
  server,
  dataDir,
}) => {
  test.slow();
  const acme = orgBySlug(dataDir, 'acme');
  await signIn(page, server.url);
  // Read after signing in, which is an entry of its own.
  const everything = trail(dataDir);
  await openAudit(page);
  const main = page.getByRole('main');
  await expect(main.getByText(`Hash chain intact: all ${everything.length} entries`)).toBeVisible();
  await expect(main.getByText(`All organizations · ${everything.length} entries`)).toBeVisible();
  await expect(column(page, ACTION_COLUMN)).toHaveText(everything.map((entry) => entry.action));
  // One clock for the whole list, the viewer's, its zone named; an org's own time is in the tooltip.
  const zones = (await column(page, 2).allTextContents()).map((when) => when.split(' ').at(-1));
  expect(new Set(zones).size).toBe(1);
  const berlinEntry = entryRows(page)
    .filter({ hasText: 'policy.disabled' })
    .first()
    .locator('td:nth-child(2) time');
  await berlinEntry.hover();
  await expect(page.getByRole('tooltip')).toContainText("Org's local time");
  await expect(page.getByRole('tooltip')).toContainText('Europe/Berlin');
  await saveScreen(page, 'audit-all');

  // By org: Acme's entries, exactly.
  await main.getByRole('combobox', { name: 'Organization' }).click();
  await page.getByRole('option', { name: 'Acme Corp', exact: true }).click();
  const acmeTrail = trail(dataDir, '--org', 'acme');
  await expect(main.getByText(`Acme Corp · ${acmeTrail.length} entries match`)).toBeVisible();
  await expect(column(page, ACTION_COLUMN)).toHaveText(acmeTrail.map((entry) => entry.action));
  await expect(column(page, ORG_COLUMN)).toHaveText(acmeTrail.map(() => 'Acme Corp'));

  // And by action prefix: Acme's policy changes only.
  await main.getByLabel('Action', { exact: true }).fill('policy');
  await expect(column(page, ACTION_COLUMN)).toHaveText([
    'policy.disabled',
    'policy.updated',
    'policy.created',
  ]);
  expect(trail(dataDir, '--org', 'acme', '--action', 'policy').map((entry) => entry.action)).toEqual([
    'policy.disabled',
    'policy.updated',
    'policy.created',
  ]);
  await expect(page).toHaveURL(new RegExp(`#/audit\\?org=${acme.id}&action=policy$`));
  await page
    .getByRole('button', { name: /Show what changed in entry/ })
    .first()
    .click();
  const changes = page.getByRole('table', { name: 'Before and after' });
  await expect(changes.getByRole('row')).toHaveText([
    /Field\s*Before\s*After/,
    /version\s*2\s*3/,
    /name\s*Sensitive topics\s*Sensitive topics/,
    /enabled\s*true\s*false/,
  ]);
  await saveScreen(page, 'audit-filtered');

  // A reload keeps the filters.
  await page.reload();
  await expect(main.getByLabel('Action', { exact: true })).toHaveValue('policy');
  await expect(main.getByRole('combobox', { name: 'Organization' })).toHaveValue('Acme Corp');
  await expect(column(page, ACTION_COLUMN)).toHaveText([
    'policy.disabled',
    'policy.updated',
    'policy.created',
  ]);

  // The export holds every matching entry, oldest first, with the org named.
  await page.getByRole('button', { name: 'Export' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: /CSV/ }).click();
  const csv = await download;
  expect(csv.suggestedFilename()).toMatch(/^orgdeck-audit-acme-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = readFileSync((await csv.path()) as string, 'utf8')
    .trimEnd()
    .split('\r\n');
  expect(lines[0]).toBe('id,at,actor,org_id,org,action,target_type,target_id,summary,hash');
  const expected = trail(dataDir, '--org', 'acme', '--action', 'policy').reverse();
  expect(lines.slice(1).map((line) => line.split(',').slice(0, 6))).toEqual(
    expected.map((entry) => [
      String(entry.id),
      entry.at,
      'local owner (CLI)',
      acme.id,
      'Acme Corp',
      entry.action,
    ]),
  );
  expect(lines.slice(1).every((line, i) => line.endsWith(`,${expected[i]?.hash}`))).toBe(true);
  await expect(page.getByText(/3 entries in orgdeck-audit-acme-/)).toBeVisible();
  await dismissToasts(page);

  // Days: none of these entries is in 2099, and a range cannot end before it starts.
  await main.getByLabel('From', { exact: true }).fill('2099-01-01');
  await expect(main.getByText('No entries match')).toBeVisible();
  await main.getByLabel('To', { exact: true }).fill('2098-12-31');
  await expect(main.getByText('The last day comes before the first')).toBeVisible();

  // Clearing brings everything back; an action picked from the known ones matches it alone.
  await main.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/#\/audit$/);
  await expect(column(page, ACTION_COLUMN)).toHaveCount(everything.length);
  await main.getByLabel('Action', { exact: true }).fill('org.up');
  await page.getByRole('option', { name: 'org.updated', exact: true }).click();
  await expect(column(page, ACTION_COLUMN)).toHaveText(['org.updated']);
  await expect(column(page, ORG_COLUMN)).toHaveText(['Globex']);
});

test('a user bound to an org with the audit page sees that org’s entries only', async ({
  page,
  server,
  dataDir,
}) => {
  const globex = orgBySlug(dataDir, 'globex');
  await signIn(page, server.url, ADA);
  const acmeTrail = trail(dataDir, '--org', 'acme');
  await openAudit(page);
  const main = page.getByRole('main');
  await expect(main.getByText(`Acme Corp · ${acmeTrail.length} entries`)).toBeVisible();
  await expect(column(page, ACTION_COLUMN)).toHaveText(acmeTrail.map((entry) => entry.action));
  await expect(column(page, ORG_COLUMN)).toHaveText(acmeTrail.map(() => 'Acme Corp'));
  // The org is fixed, there is no chain check for them, and another org's trail is not theirs to ask for.
  await expect(main.getByRole('combobox', { name: 'Organization' })).toHaveCount(0);
  await expect(main.getByText(/Hash chain/)).toHaveCount(0);
  await expect(main).not.toContainText('Globex');
  // The change of Acme's terms is listed, without the markup or the minimum it set.
  await entryRows(page)
    .filter({ hasText: 'org.terms_changed' })
    .getByRole('button', { name: /what changed in entry/ })
    .click();
  await expect(main.getByText('usage terms, shown with billing access')).toBeVisible();
  await expect(main).not.toContainText('37.5');
  await expect(main).not.toContainText('420');
  await saveScreens(page, 'audit-bound-user');

  await page.goto(`${server.url}/#/audit?org=${globex.id}`);
  await expect(column(page, ACTION_COLUMN)).toHaveText(acmeTrail.map((entry) => entry.action));
  const post = (channel: string, data: object) => page.request.post(`${server.url}/api/${channel}`, { data });
  expect((await post('audit.list', { org: globex.id })).status()).toBe(404);
  expect((await post('audit.verify', {})).status()).toBe(403);
});

test('the audit table sorts on the server by actor, org and action, and keeps the sort with its filters in the address', async ({
  page,
  server,
  dataDir,
}) => {
  test.slow();
  await signIn(page, server.url);
  const everything = trail(dataDir);
  await openAudit(page);
  const table = page.getByRole('table', { name: 'Audit entries' });
  const when = table.getByRole('columnheader', { name: 'When' });
  await expect(when).toHaveAttribute('aria-sort', 'descending');

  const action = table.getByRole('columnheader', { name: 'Action' });
  await action.getByRole('button').click();
  await expect(action).toHaveAttribute('aria-sort', 'ascending');
  await expect(page).toHaveURL(/#\/audit\?sort=action$/);
  const actions = everything.map((entry) => entry.action);
  // Ties (the same action) list the newest first, as the CLI's newest-first trail has them.
  await expect(column(page, ACTION_COLUMN)).toHaveText([...actions].sort());
  await action.getByRole('button').click();
  await expect(page).toHaveURL(/sort=-action$/);
  await expect(column(page, ACTION_COLUMN)).toHaveText([...actions].sort().reverse());

  // Org: A to Z by name, entries of no org (users, settings) last.
  await table.getByRole('columnheader', { name: 'Organization' }).getByRole('button').click();
  await expect(page).toHaveURL(/sort=org$/);
  // The rows sorted by action stay on screen until the server's answer replaces them: read until it has.
  const byOrg = async () => {
    const orgs = await column(page, ORG_COLUMN).allTextContents();
    const named = orgs.filter((name) => name !== '—');
    const sorted = named.every((name, i) => i === 0 || (named[i - 1] ?? '') <= name);
    return sorted && orgs.slice(named.length).every((name) => name === '—') ? named[0] : 'unsorted';
  };
  await expect.poll(byOrg).toBe('Acme Corp');

  // A filter keeps the sort, and a reload keeps both.
  await page.getByRole('main').getByLabel('Action', { exact: true }).fill('policy');
  await expect(page).toHaveURL(/sort=org/);
  await expect(page).toHaveURL(/action=policy/);
  await expect(column(page, ORG_COLUMN)).toHaveText(['Acme Corp', 'Acme Corp', 'Acme Corp', 'Globex']);
  await page.reload();
  await expect(table.getByRole('columnheader', { name: 'Organization' })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  await expect(column(page, ORG_COLUMN)).toHaveText(['Acme Corp', 'Acme Corp', 'Acme Corp', 'Globex']);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: width === 1440 ? 900 : 768 });
      await saveScreen(page, `audit-sorted-${scheme}-${width}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // Back to newest first: the default leaves the address.
  await when.getByRole('button').click();
  await expect(page).toHaveURL(/#\/audit\?action=policy$/);
});
