import type { Page } from '@playwright/test';
import { DEMO_MONTH } from './demo-seed';
import { expect } from './fixtures';

/**
 * Every page of the console over the demo install (demo-seed.ts), with what shows once its content
 * has loaded. `path` names Acme Corp by its slug; `pagePath` swaps in its id.
 */
export const CONSOLE_PAGES: {
  name: string;
  path: string;
  ready: (page: Page, timeout?: number) => Promise<void>;
}[] = [
  {
    name: 'home',
    path: `/?month=${DEMO_MONTH}`,
    ready: (page, timeout) =>
      expect(page.getByRole('region', { name: 'Most expensive agents' })).toContainText('$', { timeout }),
  },
  {
    name: 'orgs',
    path: '/orgs',
    ready: (page, timeout) =>
      expect(page.getByRole('table', { name: 'Organizations' })).toContainText('Wayne Legal', { timeout }),
  },
  {
    name: 'org-overview',
    path: '/orgs/acme-corp',
    ready: (page, timeout) =>
      expect(page.getByRole('heading', { name: 'Acme Corp', level: 2 })).toBeVisible({ timeout }),
  },
  {
    name: 'org-billing',
    path: '/orgs/acme-corp/billing',
    ready: (page, timeout) =>
      expect(page.getByRole('table', { name: 'Billing terms history' })).toBeVisible({ timeout }),
  },
  {
    name: 'agents',
    path: '/agents',
    ready: (page, timeout) =>
      expect(page.getByRole('table', { name: 'Agents' })).toContainText('Onboarding Guide', { timeout }),
  },
  {
    name: 'billing',
    path: '/billing',
    ready: (page, timeout) =>
      expect(page.getByRole('table', { name: 'Margins by organization' })).toBeVisible({ timeout }),
  },
  {
    name: 'billing-prices',
    path: '/billing/prices',
    ready: (page, timeout) =>
      expect(page.getByRole('table', { name: 'Model prices' })).toContainText('claude', { timeout }),
  },
  {
    name: 'billing-usage',
    path: '/billing/usage',
    ready: (page, timeout) =>
      expect(page.getByRole('tab', { name: 'Usage import' })).toBeVisible({ timeout }),
  },
  {
    name: 'knowledge',
    path: '/knowledge',
    ready: (page, timeout) =>
      expect(page.getByRole('heading', { name: 'Knowledge', level: 2 })).toBeVisible({ timeout }),
  },
  {
    name: 'guardrails',
    path: '/guardrails',
    ready: (page, timeout) =>
      expect(page.getByRole('table', { name: 'Guardrail coverage' })).toContainText('Wayne Legal', {
        timeout,
      }),
  },
  {
    name: 'audit',
    path: '/audit',
    ready: (page, timeout) =>
      expect(page.getByRole('table', { name: 'Audit entries' })).toBeVisible({ timeout }),
  },
  {
    name: 'users',
    path: '/users',
    ready: (page, timeout) =>
      expect(page.getByRole('table').first()).toContainText('Olivia Owner', { timeout }),
  },
  {
    name: 'settings',
    path: '/settings',
    ready: (page, timeout) =>
      expect(page.getByRole('heading', { name: 'Settings', level: 2 })).toBeVisible({ timeout }),
  },
  {
    name: 'tokens',
    path: '/tokens',
    ready: (page, timeout) =>
      expect(page.getByRole('heading', { name: 'API tokens', level: 2 })).toBeVisible({ timeout }),
  },
];

export const pagePath = (path: string, acmeId: string) => path.replace('acme-corp', acmeId);

/**
 * Waits for a page's content: its marker, and no skeleton left. `timeout` as Playwright's
 * assertions take it (their default when not given).
 */
export async function pageReady(
  page: Page,
  ready: (page: Page, timeout?: number) => Promise<void>,
  timeout?: number,
): Promise<void> {
  await ready(page, timeout);
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0, { timeout });
}
