import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { KnowledgeDoc } from '../../shared/contract/knowledge';
import { cli, createUser, initOwner } from './console-server';
import { expect, saveScreen, signIn, test } from './fixtures';

const UNA = { email: 'una@acme.test', name: 'Una User', password: 'una passphrase 1' };
const OWNER_ORG = 'Platform';

/**
 * The owner, Acme Corp and Globex, an agent in each and one unassigned; Globex has a document of its own, and
 * the owner org has one shared with everyone, one shared with Globex only and one kept to itself.
 */
function seedKnowledge(dataDir: string): void {
  initOwner(dataDir);
  cli(dataDir, ['org', 'create', '--name', 'Acme Corp', '--slug', 'acme']);
  cli(dataDir, ['org', 'create', '--name', 'Globex', '--slug', 'globex']);
  cli(dataDir, ['agent', 'create', '--name', 'Acme Bot', '--handle', 'acme-bot', '--org', 'acme']);
  cli(dataDir, ['agent', 'create', '--name', 'Globex Bot', '--handle', 'globex-bot', '--org', 'globex']);
  cli(dataDir, ['agent', 'create', '--name', 'Free Bot', '--handle', 'free-bot']);
  const add = (org: string, name: string, text: string, extra: string[] = []) => {
    const file = join(dataDir, name);
    writeFileSync(file, text);
    return JSON.parse(
      cli(dataDir, ['knowledge', 'add', '--org', org, file, '--json', ...extra]),
    ) as KnowledgeDoc;
  };
  add('globex', 'globex-runbook.md', '# Globex runbook\nThe quokkaword procedure for Globex support.');
  add('platform', 'security.md', '# Security policy\nEvery escalation goes to the on-call engineer.', [
    '--shared',
  ]);
  const contract = add('platform', 'globex-contract.md', '# Globex contract terms\nThe escalation fee.');
  cli(dataDir, ['knowledge', 'share', contract.id, '--orgs', 'globex']);
  add('platform', 'pricing.md', '# Internal pricing\nOur ownerprivate margins.');
}

async function chooseOrg(page: Page, name: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Organization', exact: true }).click();
  await page.getByRole('option', { name, exact: true }).click();
}

async function openKnowledge(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Knowledge' })
    .click();
  await expect(page.getByRole('heading', { name: 'Knowledge', level: 2 })).toBeVisible();
}

async function search(page: Page, query: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search knowledge' }).fill(query);
}

/** Closes the result toasts, so a screenshot shows the screen rather than them. */
async function dismissToasts(page: Page): Promise<void> {
  const close = page.locator('.mantine-Notification-closeButton');
  while ((await close.count()) > 0)
    await close
      .first()
      .click({ timeout: 2_000 })
      .catch(() => {});
  await expect(page.locator('.mantine-Notification-root')).toHaveCount(0);
}

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, seedKnowledge));

test('two files imported with progress are found with highlighted snippets, and an agent sees exactly its org’s knowledge', async ({
  page,
  server,
  dataDir,
}) => {
  test.slow();
  const refund = join(dataDir, 'refund-policy.md');
  writeFileSync(
    refund,
    '# Refund policy\nA customer may ask for a refund within 30 days. Write <em>refund</em> in the ticket title.\n',
  );
  const onboarding = join(dataDir, 'onboarding.txt');
  writeFileSync(onboarding, 'Onboarding: new clients get a welcome call and a refund-free trial week.\n');
  const sheet = join(dataDir, 'budget.xlsx');
  writeFileSync(sheet, 'not a document');

  await signIn(page, server.url);
  await chooseOrg(page, 'Acme Corp');
  await openKnowledge(page);
  const own = page.getByRole('region', { name: 'Documents of Acme Corp' });
  await expect(own).toContainText('No documents yet');
  const shared = page.getByRole('region', { name: 'Shared with Acme Corp' });
  await expect(shared.getByRole('table').locator('tbody tr')).toHaveCount(1);
  await expect(shared.getByRole('row', { name: /Security policy/ })).toContainText(OWNER_ORG);

  // Three files at once: the spreadsheet is refused before anything is sent, the other two go in.
  await page.getByRole('button', { name: 'Import files' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import files into Acme Corp' });
  const chooser = page.waitForEvent('filechooser');
  await dialog.getByRole('button', { name: 'Files', exact: true }).click();
  await (await chooser).setFiles([refund, onboarding, sheet]);
  const files = dialog.getByRole('list', { name: 'Files to import' });
  await expect(files.getByRole('listitem', { name: 'budget.xlsx' })).toContainText(
    'RefusedNot a .md, .txt, .html or .pdf file.',
  );
  await dialog.getByRole('button', { name: 'Import 2 files' }).click();
  await expect(dialog.getByRole('progressbar', { name: 'Overall progress' })).toHaveAttribute(
    'aria-valuenow',
    '100',
  );
  await expect(dialog).toContainText('2 of 2 added');
  await expect(files.getByRole('listitem', { name: 'refund-policy.md' })).toContainText(
    'Added as “Refund policy”',
  );
  await expect(files.getByRole('listitem', { name: 'onboarding.txt' })).toContainText(
    'Added as “onboarding”',
  );
  for (const name of ['refund-policy.md', 'onboarding.txt']) {
    await expect(dialog.getByRole('progressbar', { name: `Upload of ${name}` })).toHaveAttribute(
      'aria-valuenow',
      '100',
    );
  }
  await expect(page.getByText('2 documents added')).toBeVisible();
  await dismissToasts(page);
  await saveScreen(page, 'knowledge-import-progress');
  await dialog.getByRole('button', { name: 'Close' }).click();

  const ownRows = own.getByRole('table', { name: 'Documents of Acme Corp' }).locator('tbody tr');
  await expect(ownRows).toHaveCount(2);
  await expect(ownRows.nth(0)).toContainText('onboarding');
  await expect(ownRows.nth(0)).toContainText('onboarding.txt');
  await expect(ownRows.nth(1)).toContainText('Refund policy');
  await expect(ownRows.nth(1)).toContainText('Olivia Owner');
  await saveScreen(page, 'knowledge-org');

  // Ranked: the title match first; matches marked, and the file's markup shown as the text it is.
  await search(page, 'refund');
  const results = page.getByRole('list', { name: 'Search results' }).getByRole('listitem');
  await expect(results).toHaveCount(2);
  await expect(page.getByText('2 matches, best first')).toBeVisible();
  await expect(results.nth(0).getByRole('button', { name: 'Refund policy' })).toBeVisible();
  await expect(results.nth(0).locator('mark')).toHaveText(['Refund', 'Refund', 'refund', 'refund']);
  await expect(results.nth(0)).toContainText('Write <em>refund</em> in the ticket title.');
  await expect(results.nth(0).locator('em')).toHaveCount(0);
  await expect(results.nth(1)).toContainText('onboarding');
  await expect(results.nth(1).locator('mark')).toHaveText(['refund']);
  await saveScreen(page, 'knowledge-search');
  await page.emulateMedia({ colorScheme: 'dark' });
  await saveScreen(page, 'knowledge-search-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // What the owner org shares with Acme is found, marked as shared; other orgs' words are not.
  await search(page, 'escalation');
  await expect(results).toHaveCount(1);
  await expect(results.nth(0)).toContainText('Security policy');
  await expect(results.nth(0)).toContainText(`Shared from ${OWNER_ORG}`);
  await expect(results.nth(0).locator('mark')).toHaveText(['escalation']);
  for (const word of ['quokkaword', 'ownerprivate']) {
    await search(page, word);
    await expect(page.getByText('No match')).toBeVisible();
    await expect(
      page.getByText(`Nothing in Acme Corp’s documents, or in those shared with it, matches “${word}”.`),
    ).toBeVisible();
  }

  // Acme Bot reads Acme's two documents and the one shared with every org, not Globex's share.
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Agents' })
    .click();
  await page.getByRole('table', { name: 'Agents' }).getByText('acme-bot', { exact: true }).click();
  const drawer = page.getByRole('dialog', { name: 'Acme Bot', exact: true });
  await drawer.getByRole('tab', { name: 'Knowledge access' }).click();
  await expect(drawer).toContainText(
    'Acme Bot can read 3 documents: 2 documents of Acme Corp and 1 document shared with it.',
  );
  const visible = drawer.getByRole('table', { name: 'Knowledge Acme Bot can read' }).locator('tbody tr');
  await expect(visible).toHaveCount(3);
  await expect(visible.nth(0)).toContainText('onboarding');
  await expect(visible.nth(1)).toContainText('Refund policy');
  await expect(visible.nth(2)).toContainText(`Security policy`);
  await expect(visible.nth(2)).toContainText(`Shared from ${OWNER_ORG}`);
  await expect(drawer).not.toContainText('Globex');
  await saveScreen(page, 'knowledge-agent-access');
  await page.keyboard.press('Escape');

  // An agent in no org reads nothing.
  await chooseOrg(page, 'All organizations');
  await page.getByRole('switch', { name: 'Unassigned only' }).check();
  await page.getByRole('table', { name: 'Agents' }).getByText('free-bot', { exact: true }).click();
  const free = page.getByRole('dialog', { name: 'Free Bot', exact: true });
  await free.getByRole('tab', { name: 'Knowledge access' }).click();
  await expect(free.getByText('Sees no knowledge')).toBeVisible();
  await expect(free).toContainText(
    'Free Bot is not assigned to an organization, so it can read no documents.',
  );
});

test('owners write, edit, share with a chosen org, move with a confirmation and delete; the overview follows', async ({
  page,
  server,
  dataDir,
}) => {
  test.slow();
  await signIn(page, server.url);
  await chooseOrg(page, OWNER_ORG);
  await openKnowledge(page);
  const own = page.getByRole('table', { name: `Documents of ${OWNER_ORG}` });
  await expect(own.getByRole('row', { name: /Security policy/ })).toContainText('All client organizations');
  await expect(own.getByRole('row', { name: /Globex contract terms/ })).toContainText('Globex');
  await expect(own.getByRole('row', { name: /Internal pricing/ })).toContainText('Not shared');
  await expect(page.getByRole('region', { name: `Shared with ${OWNER_ORG}` })).toHaveCount(0);

  // Writing: the contract's rules show on the fields.
  await page.getByRole('button', { name: 'Add document' }).click();
  const create = page.getByRole('dialog', { name: `New document in ${OWNER_ORG}` });
  await create.getByRole('button', { name: 'Add document' }).click();
  await expect(create.getByText('A title is required')).toBeVisible();
  await create.getByLabel('Title').fill('Escalation ladder');
  await create.getByLabel('Tags').fill('support');
  await create.getByLabel('Tags').press('Enter');
  await create.getByLabel('Text').fill('Call the duty manager for every escalation.');
  await create.getByRole('button', { name: 'Add document' }).click();
  await expect(create).toBeHidden();
  await expect(page.getByText(`“Escalation ladder” is in ${OWNER_ORG}’s knowledge.`)).toBeVisible();

  // Sharing it with Acme only.
  await own.getByRole('button', { name: 'Escalation ladder' }).click();
  const drawer = page.getByRole('dialog', { name: 'Escalation ladder', exact: true });
  const facts = drawer.getByRole('group', { name: 'About the document' });
  await expect(facts).toContainText('Written in the console');
  await expect(facts).toContainText('support');
  await expect(facts).toContainText(/Shared with\s*Not shared/);
  await expect(drawer).toContainText('Call the duty manager for every escalation.');
  await drawer.getByRole('button', { name: 'Share…' }).click();
  const share = page.getByRole('dialog', { name: 'Share “Escalation ladder”' });
  await share.getByRole('radio', { name: 'Chosen organizations' }).check();
  await share.getByRole('button', { name: 'Save sharing' }).click();
  await expect(share.getByText('Choose at least one organization')).toBeVisible();
  await share.getByRole('combobox', { name: 'Organizations' }).click();
  await page.getByRole('option', { name: 'Acme Corp' }).click();
  // Leaving the field closes its list of orgs, which otherwise covers the buttons.
  await share.getByRole('combobox', { name: 'Organizations' }).press('Tab');
  await saveScreen(page, 'knowledge-share');
  await share.getByRole('button', { name: 'Save sharing' }).click();
  await expect(share).toBeHidden();
  await expect(facts).toContainText(/Shared with\s*Acme Corp/);
  await dismissToasts(page);
  await saveScreen(page, 'knowledge-document');

  // Editing.
  await drawer.getByRole('button', { name: 'Edit' }).click();
  const form = drawer.getByRole('form', { name: 'Edit the document' });
  await form.getByLabel('Title').fill('');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText('A title is required')).toBeVisible();
  await form.getByLabel('Title').fill('Escalation ladder v2');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('dialog', { name: 'Escalation ladder v2', exact: true })).toBeVisible();
  await page.keyboard.press('Escape');

  // The overview: documents per org, and the shared documents with the orgs they reach.
  await page.getByRole('tab', { name: 'All organizations' }).click();
  await expect(page).toHaveURL(/#\/knowledge\/overview$/);
  const perOrg = page.getByRole('table', { name: 'Documents per organization' });
  await expect(perOrg.getByRole('row', { name: /Platform/ }).getByRole('cell')).toHaveText([
    /Platform/,
    '4',
    '—',
  ]);
  await expect(perOrg.getByRole('row', { name: /Acme Corp/ }).getByRole('cell')).toHaveText([
    'Acme Corp',
    '0',
    '2',
  ]);
  await expect(perOrg.getByRole('row', { name: /Globex/ }).getByRole('cell')).toHaveText([
    'Globex',
    '1',
    '2',
  ]);
  const sharedDocs = page.getByRole('table', { name: 'Shared documents' });
  await expect(sharedDocs.locator('tbody tr')).toHaveCount(3);
  await expect(sharedDocs.getByRole('row', { name: /Escalation ladder v2/ })).toContainText('Acme Corp');
  await expect(sharedDocs.getByRole('row', { name: /Security policy/ })).toContainText(
    'All client organizations',
  );
  await saveScreen(page, 'knowledge-overview');

  // Moving to Globex asks first, says sharing stops, and is audited on both sides.
  await sharedDocs.getByRole('button', { name: 'Escalation ladder v2' }).click();
  const moving = page.getByRole('dialog', { name: 'Escalation ladder v2', exact: true });
  await moving.getByRole('button', { name: 'Move to…' }).click();
  const move = page.getByRole('dialog', { name: 'Move “Escalation ladder v2”' });
  await move.getByRole('combobox', { name: 'Move to' }).click();
  await page.getByRole('option', { name: 'Globex' }).click();
  await expect(move).toContainText('Agents of Platform stop seeing it and agents of Globex start to.');
  await expect(move).toContainText('It is shared now.');
  await move.getByRole('button', { name: 'Move to Globex' }).click();
  await expect(move).toBeHidden();
  await expect(moving).toBeHidden();
  await expect(page.getByText('“Escalation ladder v2” is now in Globex’s knowledge.')).toBeVisible();
  await expect(sharedDocs.locator('tbody tr')).toHaveCount(2);
  await expect(perOrg.getByRole('row', { name: /Globex/ }).getByRole('cell')).toHaveText([
    'Globex',
    '2',
    '2',
  ]);
  for (const slug of ['platform', 'globex']) {
    const entries = JSON.parse(
      cli(dataDir, ['audit', 'list', '--org', slug, '--action', 'knowledge.moved', '--json']),
    );
    expect(entries).toHaveLength(1);
  }

  // In Globex, its own documents can be edited, moved and deleted but never shared.
  await perOrg.getByRole('button', { name: 'Globex' }).click();
  await expect(page).toHaveURL(/#\/knowledge$/);
  const globex = page.getByRole('table', { name: 'Documents of Globex' });
  await globex.getByRole('button', { name: 'Escalation ladder v2' }).click();
  const moved = page.getByRole('dialog', { name: 'Escalation ladder v2', exact: true });
  await expect(moved.getByRole('group', { name: 'About the document' })).not.toContainText('Shared with');
  await expect(moved.getByRole('button', { name: 'Share…' })).toHaveCount(0);
  await moved.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete “Escalation ladder v2”?' });
  await expect(confirm).toContainText('Agents of Globex can no longer read it');
  await confirm.getByRole('button', { name: 'Delete document' }).click();
  await expect(moved).toBeHidden();
  await expect(globex.locator('tbody tr')).toHaveCount(1);
  await expect(globex).toContainText('Globex runbook');

  // What the owner org shares is read-only in a client org's knowledge, with the way to change it.
  await page
    .getByRole('table', { name: 'Shared with Globex' })
    .getByRole('button', { name: 'Globex contract terms' })
    .click();
  const sharedDoc = page.getByRole('dialog', { name: 'Globex contract terms', exact: true });
  await expect(sharedDoc).toContainText('Read-only here');
  await expect(sharedDoc.getByRole('link', { name: 'open it in Platform’s knowledge' })).toBeVisible();
  await expect(sharedDoc.getByRole('button', { name: /Edit|Delete|Move/ })).toHaveCount(0);

  // The link leads to the owner org's Knowledge tab, where it can be changed.
  await sharedDoc.getByRole('link', { name: 'open it in Platform’s knowledge' }).click();
  await expect(page).toHaveURL(/#\/orgs\/[^/]+\/knowledge$/);
  await expect(page.getByRole('tab', { name: 'Knowledge' })).toHaveAttribute('aria-selected', 'true');
  const tab = page.getByRole('tabpanel', { name: 'Knowledge' });
  await expect(tab.getByRole('table', { name: 'Documents of Platform' }).locator('tbody tr')).toHaveText([
    /Globex contract terms/,
    /Internal pricing/,
    /Security policy/,
  ]);
  await dismissToasts(page);
  await saveScreen(page, 'knowledge-org-tab');
});

test('a bound user sees their org’s knowledge and what is shared with it, read-only; without the page, nothing', async ({
  page,
  server,
  dataDir,
}) => {
  const handbook = join(dataDir, 'handbook.md');
  writeFileSync(handbook, '# Acme handbook\nOur escalation rota.');
  cli(dataDir, ['knowledge', 'add', '--org', 'acme', handbook]);
  for (const [email, name, pages] of [
    [UNA.email, UNA.name, 'knowledge'],
    ['ben@acme.test', 'Ben User', 'agents'],
  ] as const) {
    createUser(
      dataDir,
      { email: email, name: name, password: UNA.password },
      { role: 'user', org: 'acme', pages: pages },
    );
  }

  await signIn(page, server.url, UNA);
  await openKnowledge(page);
  await expect(page.getByRole('tab', { name: 'All organizations' })).toHaveCount(0);
  const own = page.getByRole('table', { name: 'Documents of Acme Corp' });
  await expect(own.locator('tbody tr')).toHaveCount(1);
  const shared = page.getByRole('table', { name: 'Shared with Acme Corp' });
  await expect(shared.locator('tbody tr')).toHaveCount(1);
  await expect(shared).toContainText('Security policy');
  await saveScreen(page, 'knowledge-bound-user');

  // Search: her org's document and the shared one, never Globex's share or words.
  await search(page, 'escalation');
  const results = page.getByRole('list', { name: 'Search results' }).getByRole('listitem');
  await expect(results).toHaveCount(2);
  await expect(page.getByRole('list', { name: 'Search results' })).not.toContainText('Globex');
  await search(page, 'quokkaword');
  await expect(page.getByText('No match')).toBeVisible();
  await search(page, '');

  // Her own document: edit and delete, but no move (one org) and no share (a client org's).
  await own.getByRole('button', { name: 'Acme handbook' }).click();
  const mine = page.getByRole('dialog', { name: 'Acme handbook', exact: true });
  await expect(mine.getByRole('button', { name: 'Edit' })).toBeVisible();
  await expect(mine.getByRole('button', { name: 'Delete' })).toBeVisible();
  await expect(mine.getByRole('button', { name: /Move|Share/ })).toHaveCount(0);
  await page.keyboard.press('Escape');

  // The shared one: read-only, and no way offered to change it.
  await shared.getByRole('button', { name: 'Security policy' }).click();
  const policy = page.getByRole('dialog', { name: 'Security policy', exact: true });
  await expect(policy).toContainText('Shared with Acme Corp by Platform.');
  await expect(policy.getByRole('link')).toHaveCount(0);
  await expect(policy.getByRole('button', { name: /Edit|Delete|Move|Share/ })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.locator('body')).not.toContainText('Globex');

  // Ben has the agents page but not knowledge: no link, no page, no tab in the agent drawer.
  await page.getByRole('button', { name: 'Account: Una User' }).click();
  await page.getByRole('menuitem', { name: 'Sign out', exact: true }).click();
  await signIn(page, server.url, { email: 'ben@acme.test', name: 'Ben User', password: UNA.password });
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByRole('link', { name: 'Knowledge' })).toHaveCount(0);
  await page.goto(`${server.url}/#/knowledge`);
  await expect(page.getByText('Not available to you')).toBeVisible();
  await nav.getByRole('link', { name: 'Agents' }).click();
  await page.getByRole('table', { name: 'Agents' }).getByText('acme-bot', { exact: true }).click();
  const drawer = page.getByRole('dialog', { name: 'Acme Bot', exact: true });
  await expect(drawer.getByText('Assignment history')).toBeVisible();
  await expect(drawer.getByRole('tab', { name: 'Knowledge access' })).toHaveCount(0);
});

test('with every org chosen, search finds every org’s documents, each labelled with its org, and a document renders its Markdown safely', async ({
  page,
  server,
  dataDir,
}) => {
  test.slow();
  const file = join(dataDir, 'acme-escalation.md');
  writeFileSync(
    file,
    [
      '# Acme escalation',
      '',
      'Call the **duty manager** first, then [the portal](https://example.com/acme).',
      '',
      '- one',
      '- two',
      '',
      '<img src=x onerror="window.hacked=1"><b>raw html stays text</b>',
      '',
      '[a trap](javascript:window.hacked=1)',
    ].join('\n'),
  );
  cli(dataDir, ['knowledge', 'add', '--org', 'acme', file, '--json']);
  await signIn(page, server.url);
  await openKnowledge(page);
  await page.getByRole('searchbox', { name: 'Search knowledge of every organization' }).fill('escalation');
  const results = page.getByRole('list', { name: 'Search results' }).getByRole('listitem');
  await expect(results).toHaveCount(3);
  await expect(results.filter({ hasText: 'Acme escalation' })).toContainText('Acme Corp');
  await expect(results.filter({ hasText: 'Security policy' })).toContainText(OWNER_ORG);
  await expect(results.filter({ hasText: 'Globex contract terms' })).toContainText(OWNER_ORG);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: width === 1440 ? 900 : 768 });
      await saveScreen(page, `knowledge-all-orgs-search-${scheme}-${width}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1440, height: 900 });

  await results.filter({ hasText: 'Acme escalation' }).getByTitle('Open the document').click();
  const body = page.getByTestId('document-markdown');
  await expect(body.getByRole('heading', { name: 'Acme escalation' })).toBeVisible();
  await expect(body.locator('strong')).toHaveText('duty manager');
  await expect(body.getByRole('link', { name: 'the portal' })).toHaveAttribute(
    'href',
    'https://example.com/acme',
  );
  await expect(body.getByRole('listitem')).toHaveText(['one', 'two']);
  // HTML in the text is shown as text, never made into elements; an unsafe link loses its target.
  await expect(body).toContainText('<b>raw html stays text</b>');
  await expect(body.locator('img, b')).toHaveCount(0);
  await expect(body.getByText('a trap')).not.toHaveAttribute('href', /javascript/);
  expect(await page.evaluate('typeof window.hacked')).toBe('undefined');
  await saveScreen(page, 'knowledge-markdown');
  await page.getByText('Plain text', { exact: true }).click();
  await expect(page.getByRole('dialog').getByText('Call the **duty manager** first')).toBeVisible();
  await expect(body).toHaveCount(0);
});
