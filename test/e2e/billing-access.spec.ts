import type { BrowserContext } from '@playwright/test';
import { MONTH, seedBilling, writeUsage } from './billing-setup';
import { cli, createUser, initOwner } from './console-server';
import { expect, signIn, test } from './fixtures';

const UNA = { email: 'una@acme.test', name: 'Una User', password: 'una passphrase 1' };
const BILL = { email: 'bill@acme.test', name: 'Bill Billing', password: 'bill passphrase 1' };

test.beforeEach(({ dataDir }) => initOwner(dataDir));

const post = async (context: BrowserContext, url: string, channel: string, data: object) => {
  const response = await context.request.post(`${url}/api/${channel}`, { data });
  return { status: response.status(), body: await response.json() };
};

const FORBIDDEN = { status: 403, body: { ok: false, error: { code: 'FORBIDDEN' } } };

test('billing is only for sessions with the billing page, and a bound user sees only their org', async ({
  browser,
  server,
  dataDir,
}) => {
  test.slow();
  const { acme, globex } = seedBilling(dataDir);
  cli(dataDir, ['usage', 'import', writeUsage(dataDir)]);
  createUser(dataDir, UNA, { role: 'user', org: 'acme', pages: 'agents' });
  createUser(dataDir, BILL, { role: 'user', org: 'acme', pages: 'billing' });

  // Una has no billing page: no nav item, no page, no tab, and the API refuses.
  const unaContext = await browser.newContext();
  const una = await unaContext.newPage();
  await signIn(una, server.url, UNA);
  const unaNav = una.getByRole('navigation', { name: 'Main navigation' });
  await expect(unaNav.getByRole('link', { name: 'Agents' })).toBeVisible();
  await expect(unaNav.getByRole('link', { name: 'Billing' })).toHaveCount(0);
  await una.goto(`${server.url}/#/billing`);
  await expect(una.getByText('Not available to you')).toBeVisible();
  await una.goto(`${server.url}/#/orgs/${acme.id}`);
  await expect(una.getByRole('heading', { name: 'Acme Corp', level: 2 })).toBeVisible();
  await expect(una.getByRole('tab', { name: 'Billing' })).toHaveCount(0);
  for (const [channel, input] of [
    ['billing.margins', { month: MONTH }],
    ['billing.margins', { month: MONTH, org: acme.id }],
    ['billing.trend', { month: MONTH }],
    ['prices.list', {}],
    ['jobs.list', {}],
  ] as const) {
    expect(await post(unaContext, server.url, channel, input), channel).toMatchObject(FORBIDDEN);
  }
  await unaContext.close();

  // Bill has the billing page: his org's margins only, no prices or imports, no unattributed usage.
  const billContext = await browser.newContext();
  const bill = await billContext.newPage();
  await signIn(bill, server.url, BILL);
  await bill
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Billing' })
    .click();
  await expect(bill.getByRole('heading', { name: 'Billing', level: 2 })).toBeVisible();
  await expect(bill.getByRole('tab')).toHaveCount(0);
  await bill.getByRole('combobox', { name: 'Month' }).click();
  await bill.getByRole('option', { name: MONTH, exact: true }).click();
  await expect(bill.getByRole('group', { name: 'Revenue', exact: true })).toContainText('$80.00');
  await expect(bill.getByRole('group', { name: 'Cost', exact: true })).toContainText('$25.00');
  const table = bill.getByRole('table', { name: 'Margins by organization' });
  await expect(table.getByRole('button', { name: /agents of/ })).toHaveCount(1);
  await expect(bill.getByRole('table', { name: 'Agents of Acme Corp' })).toContainText('Alpha');
  await expect(table.getByRole('row', { name: /Unattributed usage/ })).toHaveCount(0);
  await expect(bill.getByRole('button', { name: 'Set price' })).toHaveCount(0);
  await expect(bill.locator('body')).not.toContainText('Globex');
  await bill.goto(`${server.url}/#/billing/prices`);
  await expect(bill.getByRole('tab')).toHaveCount(0);
  await expect(bill.getByRole('table', { name: 'Model prices' })).toHaveCount(0);

  expect(await post(billContext, server.url, 'billing.margins', { month: MONTH })).toMatchObject({
    status: 200,
    body: { ok: true, data: { unattributed: null, totals: { revenue: '80.00', cost: '25.000000' } } },
  });
  // Another org is "not found" for a bound user, as orgs.get answers: its existence is not confirmed.
  for (const [channel, input] of [
    ['billing.margins', { month: MONTH, org: globex.id }],
    ['billing.trend', { month: MONTH, org: globex.id }],
  ] as const) {
    expect(await post(billContext, server.url, channel, input), channel).toMatchObject({
      status: 404,
      body: { ok: false, error: { code: 'NOT_FOUND' } },
    });
  }
  for (const [channel, input] of [
    ['prices.set', { model: 'gpt-4o', input: '0.01', output: '0.01' }],
    ['jobs.list', {}],
  ] as const) {
    expect(await post(billContext, server.url, channel, input), channel).toMatchObject(FORBIDDEN);
  }
  await billContext.close();
});
