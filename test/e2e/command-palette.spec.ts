import { seedOwnerAndBilling } from './billing-setup';
import { cli } from './console-server';
import { expect, saveScreen, signIn, test } from './fixtures';

test.describe.configure({ timeout: 90_000 });

/** billing-setup’s world with a policy in Acme. */
function seedPalette(dataDir: string): void {
  const { acme } = seedOwnerAndBilling(dataDir);
  cli(dataDir, [
    'call',
    'policies.create',
    '--input',
    JSON.stringify({
      orgId: acme.id,
      name: 'Mask card numbers',
      config: { kind: 'pii_redaction', entities: ['credit_card'] },
    }),
  ]);
}

test.beforeEach(({ dataDir, seeded }) => seeded(dataDir, seedPalette));

test('Ctrl+K jumps to pages, orgs and agents, switches the org and starts actions; / focuses the search', async ({
  page,
  server,
}) => {
  await signIn(page, server.url);
  const palette = page.getByRole('textbox', { name: 'Command palette' });
  const openPalette = async () => {
    // The last action's palette closes first (with a short transition).
    await expect(palette).toBeHidden();
    await page.keyboard.press('Control+k');
    await expect(palette).toBeFocused();
  };

  // A page.
  await openPalette();
  await palette.fill('audit');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/audit$/);

  // An org's page.
  await openPalette();
  await palette.fill('globex');
  await expect(page.locator('.mantine-Spotlight-action[data-selected]')).toContainText('Globex');
  await saveScreen(page, 'palette-globex');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Globex', level: 2 })).toBeVisible();

  // An agent, its drawer open.
  await openPalette();
  await palette.fill('gamma');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/agents$/);
  await expect(page.getByRole('dialog', { name: /Gamma/ })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // The org context.
  await openPalette();
  await palette.fill('switch to acme');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('combobox', { name: 'Organization', exact: true })).toHaveValue('Acme Corp');

  // A policy of the org the pages cover, its drawer open on the Guardrails page.
  await openPalette();
  await palette.fill('mask card');
  await expect(page.locator('.mantine-Spotlight-action[data-selected]')).toContainText('PII redaction');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/guardrails$/);
  await expect(page.getByRole('dialog', { name: /Mask card numbers/ })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // An action: a new agent, with its form open.
  await openPalette();
  await palette.fill('new agent');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/agents$/);
  await expect(page.getByRole('dialog', { name: /New agent/ })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // Closing a month: the Statements tab, its close dialog open.
  await openPalette();
  await palette.fill('close month');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/billing\/statements/);
  await expect(page.getByRole('dialog', { name: 'Close month' })).toBeVisible();
  await saveScreen(page, 'palette-close-month');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Agents' })
    .click();

  // `/` puts the cursor in the page's search, with a visible focus ring.
  await page.getByRole('heading', { name: 'Agents', level: 2 }).click();
  await page.keyboard.press('/');
  const search = page.getByRole('textbox', { name: 'Search agents' });
  await expect(search).toBeFocused();
  // Focus shows as the primary colour on the field's border.
  await expect(search).toHaveCSS('border-top-color', 'rgb(59, 91, 219)');
  await search.pressSequentially('alp');
  await expect(page.getByRole('table', { name: 'Agents' })).not.toContainText('Beta');
  await expect(page.getByRole('table', { name: 'Agents' })).toContainText('Alpha');
});

test('at 1024 px the sidebar shows only its icons, each named', async ({ page, server }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await signIn(page, server.url);
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  const billing = nav.getByRole('link', { name: 'Billing' });
  await expect(billing).toBeVisible();
  await expect(billing).not.toContainText('Billing');
  expect((await nav.boundingBox())?.width).toBeLessThan(80);
  await billing.hover();
  await expect(page.getByRole('tooltip')).toHaveText('Billing');
  await billing.click();
  await expect(page.getByRole('heading', { name: 'Billing', level: 2 })).toBeVisible();
  await saveScreen(page, 'narrow-billing');

  await page.setViewportSize({ width: 1440, height: 900 });
  await expect(nav.getByRole('link', { name: 'Billing' })).toContainText('Billing');
});
