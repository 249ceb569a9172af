import type { Page } from '@playwright/test';
import { DEMO_MONTH } from './demo-seed';
import { expect } from './fixtures';

/**
 * Every page of the console over the demo install (demo-seed.ts), with what shows once its content
 * has loaded. `path` names Acme Corp by its slug; `pagePath` swaps in its id.
 */
export const CONSOLE_PAGES: { name: string; path: string; ready: (page: Page) => Promise<void> }[] = [
  {
    name: 'home',
    path: `/?month=${DEMO_MONTH}`,
    ready: (page) => expect(page.getByRole('region', { name: 'Most expensive agents' })).toContainText('$'),
  },
  {
    name: 'orgs',
    path: '/orgs',
    ready: (page) => expect(page.getByRole('table', { name: 'Organizations' })).toContainText('Wayne Legal'),
  },
  {
    name: 'org-overview',
    path: '/orgs/acme-corp',
    ready: (page) => expect(page.getByRole('heading', { name: 'Acme Corp', level: 2 })).toBeVisible(),
  },
  {
    name: 'org-billing',
    path: '/orgs/acme-corp/billing',
    ready: (page) => expect(page.getByRole('table', { name: 'Billing terms history' })).toBeVisible(),
  },
  {
    name: 'agents',
    path: '/agents',
    ready: (page) => expect(page.getByRole('table', { name: 'Agents' })).toContainText('Onboarding Guide'),
  },
  {
    name: 'billing',
    path: '/billing',
    ready: (page) => expect(page.getByRole('table', { name: 'Margins by organization' })).toBeVisible(),
  },
  {
    name: 'billing-prices',
    path: '/billing/prices',
    ready: (page) => expect(page.getByRole('table', { name: 'Model prices' })).toContainText('claude'),
  },
  {
    name: 'billing-usage',
    path: '/billing/usage',
    ready: (page) => expect(page.getByRole('tab', { name: 'Usage import' })).toBeVisible(),
  },
  {
    name: 'knowledge',
    path: '/knowledge',
    ready: (page) => expect(page.getByRole('heading', { name: 'Knowledge', level: 2 })).toBeVisible(),
  },
  {
    name: 'guardrails',
    path: '/guardrails',
    ready: (page) =>
      expect(page.getByRole('table', { name: 'Guardrail coverage' })).toContainText('Wayne Legal'),
  },
  {
    name: 'audit',
    path: '/audit',
    ready: (page) => expect(page.getByRole('table', { name: 'Audit entries' })).toBeVisible(),
  },
  {
    name: 'users',
    path: '/users',
    ready: (page) => expect(page.getByRole('table').first()).toContainText('Olivia Owner'),
  },
  {
    name: 'settings',
    path: '/settings',
    ready: (page) => expect(page.getByRole('heading', { name: 'Settings', level: 2 })).toBeVisible(),
  },
  {
    name: 'tokens',
    path: '/tokens',
    ready: (page) => expect(page.getByRole('heading', { name: 'API tokens', level: 2 })).toBeVisible(),
  },
];

export const pagePath = (path: string, acmeId: string) => path.replace('acme-corp', acmeId);

/** Waits for a page's content: its marker, and no skeleton left. */
export async function pageReady(page: Page, ready: (page: Page) => Promise<void>): Promise<void> {
  await ready(page);
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
}
