import type { BrowserContext } from '@playwright/test';
import type { Org } from '../../shared/contract/orgs';
import { MONTH, seedOwnerAndBilling, writeUsage } from './billing-setup';
import { cli, createUser } from './console-server';
import { expect, signIn, test } from './fixtures';

const UNA = { email: 'una@acme.test', name: 'Una User', password: 'una passphrase 1' };
const BILL = { email: 'bill@acme.test', name: 'Bill Billing', password: 'bill passphrase 1' };

let seededOrgs: Record<'acme' | 'globex', Org>;
test.beforeEach(({ dataDir, seeded }) => {
  seededOrgs = seeded(dataDir, seedOwnerAndBilling);
});

const post = async (context: BrowserContext, url: string, channel: string, data: object) => {
  const response = await context.request.post(`${url}/api/${channel}`, { data });
  return { status: response.status(), body: await response.json() };
};

const FORBIDDEN = { status: 403, body: { ok: false, error: { code: 'FORBIDDEN' } } };

test('billing is for owners, admins and billing admins: a member of an org never sees cost or margin', async ({
  browser,
  server,
  dataDir,
}) => {
  test.slow();
  const { acme, globex } = seededOrgs;
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

  // Bill has the billing page, yet cost and margin are the MSP's: a member of an org never sees them.
  const billContext = await browser.newContext();
  const bill = await billContext.newPage();
  await signIn(bill, server.url, BILL);
  await expect(
    bill.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Billing' }),
  ).toHaveCount(0);
  await bill.goto(`${server.url}/#/billing`);
  await expect(bill.getByText('Not available to you')).toBeVisible();
  for (const [channel, input] of [
    ['billing.margins', { month: MONTH }],
    ['billing.margins', { month: MONTH, org: globex.id }],
    ['billing.trend', { month: MONTH, org: acme.id }],
    ['prices.list', {}],
    ['prices.set', { model: 'gpt-4o', input: '0.01', output: '0.01' }],
    ['jobs.list', {}],
  ] as const) {
    expect(await post(billContext, server.url, channel, input), channel).toMatchObject(FORBIDDEN);
  }
  await billContext.close();
});
