import type { Page, Request, Route } from '@playwright/test';
import type { Assignment } from '../../shared/contract/agents';
import type { Org } from '../../shared/contract/orgs';
import { cli, initOwner } from './console-server';
import { dismissToasts, expect, saveScreen, signIn, test } from './fixtures';

/** The owner, Acme Corp ($40.00) and Globex ($30.00). */
function seedTwoOrgs(dataDir: string): void {
  initOwner(dataDir);
  cli(dataDir, ['org', 'create', '--name', 'Acme Corp', '--slug', 'acme', '--rate', '40.00']);
  cli(dataDir, ['org', 'create', '--name', 'Globex', '--slug', 'globex', '--rate', '30.00']);
}

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, seedTwoOrgs));

const orgBySlug = (dataDir: string, slug: string) =>
  JSON.parse(cli(dataDir, ['org', 'show', slug, '--json'])) as Org;
const historyOf = (dataDir: string, handle: string) =>
  JSON.parse(cli(dataDir, ['agent', 'history', handle, '--json'])) as Assignment[];

async function createAgentInUi(
  page: Page,
  agent: { name: string; email?: string; model?: string; rate?: string },
): Promise<void> {
  await page.getByRole('button', { name: 'New agent' }).click();
  const dialog = page.getByRole('dialog', { name: 'New agent' });
  await dialog.getByLabel('Name', { exact: true }).fill(agent.name);
  if (agent.email) await dialog.getByLabel('Email').fill(agent.email);
  if (agent.model) await dialog.getByLabel('Model').fill(agent.model);
  if (agent.rate) await dialog.getByLabel('Rate override').fill(agent.rate);
  await dialog.getByRole('button', { name: 'Create agent' }).click();
  await expect(dialog).toBeHidden();
}

async function openOrgAgentsTab(page: Page, org: Org): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Organizations' })
    .click();
  await page.getByRole('table', { name: 'Organizations' }).getByRole('link', { name: org.name }).click();
  await page.getByRole('tab', { name: /Agents/ }).click();
  // Org pages are addressed by slug.
  await expect(page).toHaveURL(new RegExp(`#/orgs/${org.slug}/agents$`));
}

/** The search an agents.list request asks for, if any. */
const searchOf = (request: Request) => (request.postDataJSON() as { search?: string }).search;

/** Picks from the server's answer to the search, as a user who waits for it would. */
async function pickAgent(page: Page, name: string, where: RegExp): Promise<void> {
  const picker = page.getByRole('combobox', { name: 'Assign agent' });
  const term = name.split(' ')[0] ?? name;
  const answered = page.waitForResponse(
    (response) => response.url().endsWith('/api/agents.list') && searchOf(response.request()) === term,
  );
  await picker.fill(term);
  await answered;
  const option = page.getByRole('option', { name: new RegExp(name) });
  await expect(option).toContainText(where);
  await option.click();
}

test('agents are created, assigned from the org tab, moved, unassigned and bulk-assigned; history and counts follow', async ({
  page,
  server,
  dataDir,
}) => {
  test.slow();
  const acme = orgBySlug(dataDir, 'acme');
  const globex = orgBySlug(dataDir, 'globex');
  // Linus starts in Globex, so the bulk assignment below has one to move.
  cli(dataDir, ['agent', 'create', '--name', 'Linus Torvalds', '--handle', 'linus', '--org', 'globex']);

  await signIn(page, server.url);
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Agents' })
    .click();
  await expect(page).toHaveURL(/#\/agents$/);
  await expect(page.getByRole('heading', { name: 'Agents', level: 2 })).toBeVisible();

  // Creating: the handle follows the name until typed over, and the contract's rules show on the fields.
  await page.getByRole('button', { name: 'New agent' }).click();
  const dialog = page.getByRole('dialog', { name: 'New agent' });
  await dialog.getByLabel('Name', { exact: true }).fill('Ada Lovelace');
  await expect(dialog.getByLabel('Handle')).toHaveValue('ada-lovelace');
  await dialog.getByLabel('Email').fill('ada@');
  await dialog.getByLabel('Rate override').fill('12.345');
  await dialog.getByRole('button', { name: 'Create agent' }).click();
  await expect(dialog.getByText('Enter a valid email address')).toBeVisible();
  await expect(dialog.getByText(/at most 2 decimals/)).toBeVisible();
  await dialog.getByLabel('Email').fill('ada@agents.test');
  await dialog.getByLabel('Rate override').fill('');
  await dialog.getByLabel('Model').fill('claude-sonnet-4-5');
  await dialog.getByLabel('Handle').fill('linus');
  await dialog.getByRole('button', { name: 'Create agent' }).click();
  await expect(dialog.getByText('This handle is taken')).toBeVisible();
  await dialog.getByLabel('Handle').fill('ada');
  await dialog.getByRole('button', { name: 'Create agent' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Ada Lovelace (ada) is not assigned yet.')).toBeVisible();

  for (const [name, model, rate] of [
    ['Grace Hopper', 'gpt-5', '55.00'],
    ['Alan Turing', 'claude-opus-4-1', undefined],
    ['Katherine Johnson', 'gemini-2.5-pro', undefined],
    ['Edsger Dijkstra', 'claude-haiku-4-5', undefined],
  ] as const) {
    await createAgentInUi(page, {
      name,
      model,
      rate,
      email: `${name.split(' ')[0]?.toLowerCase()}@agents.test`,
    });
  }
  const table = page.getByRole('table', { name: 'Agents' });
  await expect(table.getByRole('row')).toHaveCount(7);
  await expect(page.getByText('All organizations · 6 agents')).toBeVisible();
  const grace = table.getByRole('row', { name: /Grace Hopper/ });
  await expect(grace).toContainText('grace-hopper');
  await expect(grace).toContainText('$55.00');
  await expect(table.getByRole('row', { name: /Alan Turing/ })).toContainText('org rate');
  await expect(table.getByRole('row', { name: /Linus Torvalds/ })).toContainText('Globex');

  // Assign Ada from Acme's Agents tab.
  await openOrgAgentsTab(page, acme);
  const panel = page.getByRole('tabpanel');
  await expect(panel).toContainText('No agents in Acme Corp');
  await pickAgent(page, 'Ada Lovelace', /unassigned/);
  // On a busy server the picker's lists (any org's agents: no org asked for) answer late: those
  // asked after the assignment are held until Globex's tab below, so its picker still has Ada
  // unassigned there while it asks again.
  let answerPicker = () => {};
  const pickerHeld = new Promise<void>((resolve) => {
    answerPicker = resolve;
  });
  const holdPicker = async (route: Route) => {
    if (!('org' in route.request().postDataJSON())) await pickerHeld;
    await route.continue();
  };
  await page.route('**/api/agents.list', holdPicker);
  await panel.getByRole('button', { name: 'Assign', exact: true }).click();
  await expect(panel.getByRole('table', { name: 'Agents of Acme Corp' })).toContainText('Ada Lovelace');
  await expect(panel).toContainText('1 agent assigned to Acme Corp now.');
  await expect(page.getByRole('tab', { name: /Agents/ })).toContainText('1');

  // Move her to Globex from Globex's tab: the console asks, and says from where.
  await openOrgAgentsTab(page, globex);
  await expect(panel).toContainText('1 agent assigned to Globex now.');
  // Picked from the list as it was, she is shown where she is once the list is in; the assignment's
  // own notice waited for its lists too.
  await page.getByRole('combobox', { name: 'Assign agent' }).click();
  const asBefore = page.getByRole('option', { name: /Ada Lovelace/ });
  await expect(asBefore).toContainText('unassigned');
  await asBefore.click();
  answerPicker();
  await expect(page.getByText('Ada Lovelace is now in Acme Corp.')).toBeVisible();
  await page.unroute('**/api/agents.list', holdPicker);
  await expect(panel).toContainText('now in Acme Corp: assigning moves it');
  await panel.getByRole('button', { name: 'Assign', exact: true }).click();
  const move = page.getByRole('dialog', { name: 'Move Ada Lovelace to Globex?' });
  await expect(move).toContainText('Ada Lovelace is in Acme Corp');
  await move.getByRole('button', { name: 'Move' }).click();
  await expect(move).toBeHidden();
  const globexAgents = panel.getByRole('table', { name: 'Agents of Globex' });
  await expect(globexAgents.getByRole('row')).toHaveCount(3);
  await expect(panel).toContainText('2 agents assigned to Globex now.');
  await expect(page.getByRole('tab', { name: /Agents/ })).toContainText('2');
  await dismissToasts(page);
  await saveScreen(page, 'org-agents-tab');

  // Unassign her from Globex.
  await panel.getByRole('button', { name: 'Unassign Ada Lovelace' }).click();
  const unassign = page.getByRole('dialog', { name: 'Unassign Ada Lovelace?' });
  await expect(unassign).toContainText('Ada Lovelace leaves Globex');
  await unassign.getByRole('button', { name: 'Unassign' }).click();
  await expect(unassign).toBeHidden();
  await expect(globexAgents.getByRole('row')).toHaveCount(2);
  await expect(panel).toContainText('1 agent assigned to Globex now.');

  // Bulk-assign five to Acme from the Agents page; Linus is in Globex and is moved on confirmation.
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Agents' })
    .click();
  for (const name of ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Linus Torvalds']) {
    await table.getByRole('checkbox', { name: `Select ${name}` }).check();
  }
  const selection = page.getByLabel('Selection');
  await expect(selection).toContainText('5 selected');
  await selection.getByRole('button', { name: 'Assign to…' }).click();
  const assign = page.getByRole('dialog', { name: 'Assign 5 agents' });
  await assign.getByRole('combobox', { name: 'Organization' }).click();
  await expect(page.getByRole('option', { name: 'Acme Corp' })).toBeVisible();
  await page.getByRole('option', { name: 'Acme Corp' }).click();
  await assign.getByRole('button', { name: 'Assign', exact: true }).click();
  const bulkMove = page.getByRole('dialog', { name: 'Move 1 agent to Acme Corp?' });
  await expect(bulkMove).toContainText('Linus Torvalds is in Globex');
  await expect(bulkMove).toContainText('The other 4 agents will be assigned too.');
  await saveScreen(page, 'agents-bulk-assign');
  await bulkMove.getByRole('button', { name: 'Move' }).click();
  await expect(bulkMove).toBeHidden();
  await expect(page.getByText('5 agents are now in Acme Corp.')).toBeVisible();
  await expect(selection).toBeHidden();
  for (const name of ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Linus Torvalds']) {
    await expect(table.getByRole('row', { name: new RegExp(name) })).toContainText('Acme Corp');
  }
  await expect(table.getByRole('row', { name: /Edsger Dijkstra/ })).toContainText('Unassigned');
  await dismissToasts(page);
  await saveScreen(page, 'agents-list');

  // Ada's history: Acme (closed), Globex (closed), Acme (now), in the drawer and in the store.
  await table
    .getByRole('row', { name: /Ada Lovelace/ })
    .getByText('ada', { exact: true })
    .click();
  const drawer = page.getByRole('dialog', { name: 'Ada Lovelace', exact: true });
  const history = drawer.getByRole('table', { name: 'Assignment history' });
  const rows = history.getByRole('row');
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(1)).toContainText('Acme Corp');
  await expect(rows.nth(2)).toContainText('Globex');
  await expect(rows.nth(3)).toContainText('Acme Corp');
  await expect(rows.nth(3)).toContainText('now');
  await expect(rows.nth(1)).not.toContainText('now');
  await expect(rows.nth(2)).not.toContainText('now');
  await expect(drawer.getByRole('button', { name: 'Delete' })).toBeDisabled();
  await saveScreen(page, 'agent-drawer');
  const stored = historyOf(dataDir, 'ada');
  expect(stored.map((interval) => interval.org.slug)).toEqual(['acme', 'globex', 'acme']);
  const [first, second, third] = stored as [Assignment, Assignment, Assignment];
  expect(first.to).toBe(second.from);
  expect(second.to).not.toBeNull();
  expect(third.from >= (second.to ?? '')).toBe(true);
  expect(third.to).toBeNull();
  // The local time shows; the UTC value is in the tooltip.
  await rows.nth(2).getByRole('cell').nth(2).locator('time').hover();
  await expect(page.getByRole('tooltip')).toContainText(`${second.to?.slice(0, 16).replace('T', ' ')}`);
  await expect(page.getByRole('tooltip')).toContainText('UTC');

  // Edit her in the drawer: a rate override, a model, a pause.
  const form = drawer.getByRole('form', { name: 'Agent details' });
  await form.getByRole('switch', { name: /Own rate/ }).check();
  await form.getByLabel('Rate override').fill('61.5');
  await form.getByLabel('Model').fill('claude-opus-4-1');
  await form.getByText('Paused', { exact: true }).click();
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Ada Lovelace is up to date.')).toBeVisible();
  await expect(form.getByLabel('Rate override')).toHaveValue('61.50');
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  const ada = table.getByRole('row', { name: /Ada Lovelace/ });
  await expect(ada).toContainText('$61.50');
  await expect(ada).toContainText('Paused');
  await expect(ada).toContainText('claude-opus-4-1');

  // An unassigned agent can be deleted, after confirming; the drawer closes even when the list's
  // refresh answers after the agent's own (which finds it gone), as on a busy server.
  await table
    .getByRole('row', { name: /Edsger Dijkstra/ })
    .getByText('edsger-dijkstra')
    .click();
  const edsger = page.getByRole('dialog', { name: 'Edsger Dijkstra', exact: true });
  await edsger.getByRole('button', { name: 'Delete' }).click();
  const listAnswersLast = async (route: Route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await route.continue();
  };
  await page.route('**/api/agents.list', listAnswersLast);
  await page
    .getByRole('dialog', { name: 'Delete Edsger Dijkstra?' })
    .getByRole('button', { name: 'Delete agent' })
    .click();
  await expect(edsger).toBeHidden();
  await page.unroute('**/api/agents.list', listAnswersLast);
  await expect(table.getByRole('row', { name: /Edsger Dijkstra/ })).toHaveCount(0);
  await expect(page.getByText('All organizations · 5 agents')).toBeVisible();

  // The counts: Acme has five, Globex none; Acme with agents cannot be deleted.
  expect(orgBySlug(dataDir, 'acme').agentCount).toBe(5);
  expect(orgBySlug(dataDir, 'globex').agentCount).toBe(0);
  await page.goto(`${server.url}/#/orgs`);
  const orgRows = page.getByRole('table', { name: 'Organizations' });
  await expect(
    orgRows.getByRole('row', { name: /Acme Corp/ }).getByRole('cell', { name: '5 agents' }),
  ).toBeVisible();
  await expect(
    orgRows.getByRole('row', { name: /Globex/ }).getByRole('cell', { name: '0 agents' }),
  ).toBeVisible();
  await openOrgAgentsTab(page, acme);
  await expect(panel).toContainText('5 agents assigned to Acme Corp now.');
  await expect(page.getByRole('tab', { name: /Agents/ })).toContainText('5');
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete Acme Corp?' });
  await confirm.getByLabel('Type Acme Corp to confirm').fill('Acme Corp');
  await confirm.getByRole('button', { name: 'Delete organization' }).click();
  await expect(confirm.getByRole('alert')).toContainText(
    'Acme Corp has 5 agents assigned: unassign or move them first.',
  );
  expect(() => cli(dataDir, ['org', 'delete', 'acme', '--confirm', 'acme'])).toThrow(/5 agents assigned/);
});

test('an effective time corrects history, and an overlapping one is refused with the reason', async ({
  page,
  server,
  dataDir,
}) => {
  test.slow();
  cli(dataDir, ['agent', 'create', '--name', 'Ada Lovelace', '--handle', 'ada']);
  cli(dataDir, ['agent', 'assign', 'ada', '--org', 'acme', '--at', '2026-01-10T08:00:00Z']);
  await signIn(page, server.url);
  await page.getByRole('link', { name: 'Agents' }).click();
  const table = page.getByRole('table', { name: 'Agents' });
  await table.getByRole('checkbox', { name: 'Select Ada Lovelace' }).check();
  await page.getByLabel('Selection').getByRole('button', { name: 'Assign to…' }).click();
  const assign = page.getByRole('dialog', { name: 'Assign Ada Lovelace' });
  await assign.getByRole('combobox', { name: 'Organization' }).click();
  await page.getByRole('option', { name: 'Globex' }).click();
  await expect(assign.getByLabel('Effective time')).toBeHidden();
  await assign.getByRole('button', { name: 'Advanced' }).click();
  await assign.getByLabel('Effective time').fill('2026-01-05');
  await assign.getByRole('button', { name: 'Assign', exact: true }).click();
  await expect(assign.getByText(/Use an ISO 8601 time/)).toBeVisible();
  // Before she joined Acme: the history would overlap.
  await assign.getByLabel('Effective time').fill('2026-01-05T09:00:00Z');
  await assign.getByRole('button', { name: 'Assign', exact: true }).click();
  const move = page.getByRole('dialog', { name: 'Move Ada Lovelace to Globex?' });
  await expect(move).toContainText('Ada Lovelace is in Acme Corp');
  await move.getByRole('button', { name: 'Move' }).click();
  await expect(move.getByRole('alert')).toContainText('would overlap it. Use a later time.');
  await move.getByRole('button', { name: 'Cancel' }).click();
  // Back in the assign dialog, with what was typed; a later time goes through.
  await expect(assign.getByLabel('Effective time')).toHaveValue('2026-01-05T09:00:00Z');
  await assign.getByLabel('Effective time').fill('2026-02-01T00:00:00Z');
  await assign.getByRole('button', { name: 'Assign', exact: true }).click();
  await move.getByRole('button', { name: 'Move' }).click();
  await expect(page.getByText('Ada Lovelace is now in Globex.')).toBeVisible();
  expect(historyOf(dataDir, 'ada')).toMatchObject([
    { org: { slug: 'acme' }, from: '2026-01-10T08:00:00.000Z', to: '2026-02-01T00:00:00.000Z' },
    { org: { slug: 'globex' }, from: '2026-02-01T00:00:00.000Z', to: null },
  ]);
  await expect(page.getByText('Ada Lovelace is now in Globex.')).toBeVisible();

  // Bulk unassign, asking first.
  await table.getByRole('checkbox', { name: 'Select Ada Lovelace' }).check();
  await page.getByLabel('Selection').getByRole('button', { name: 'Unassign' }).click();
  const unassign = page.getByRole('dialog', { name: 'Unassign Ada Lovelace?' });
  await unassign.getByRole('button', { name: 'Advanced' }).click();
  await unassign.getByLabel('Effective time').fill('2026-01-20T00:00:00Z');
  await unassign.getByRole('button', { name: 'Unassign' }).click();
  await expect(unassign.getByRole('alert')).toContainText('would overlap');
  await unassign.getByLabel('Effective time').fill('');
  await unassign.getByRole('button', { name: 'Unassign' }).click();
  await expect(unassign).toBeHidden();
  await expect(table.getByRole('row', { name: /Ada Lovelace/ })).toContainText('Unassigned');
  expect(historyOf(dataDir, 'ada').at(-1)?.to).not.toBeNull();
});
