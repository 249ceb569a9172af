import type { Page } from '@playwright/test';
import { DEMO_MONTH } from './demo-seed';
import { expect } from './fixtures';

/**
 * What shows once a page's content has loaded: the element of this role (and accessible name, and
 * heading level), visible, holding `text` when given. Plain data, so the page-load script can look
 * for the same thing inside the page, frame by frame (page-shown.ts).
 */
export type PageMarker = {
  role: 'region' | 'table' | 'heading' | 'tab';
  name?: string;
  level?: number;
  text?: string;
};

/**
 * Every page of the console over the demo install (demo-seed.ts), with what shows once its content
 * has loaded. `path` names Acme Corp by its slug; `pagePath` swaps in its id.
 */
export const CONSOLE_PAGES: { name: string; path: string; shows: PageMarker }[] = [
  {
    name: 'home',
    path: `/?month=${DEMO_MONTH}`,
    shows: { role: 'region', name: 'Most expensive agents', text: '$' },
  },
  { name: 'orgs', path: '/orgs', shows: { role: 'table', name: 'Organizations', text: 'Wayne Legal' } },
  { name: 'org-overview', path: '/orgs/acme-corp', shows: { role: 'heading', name: 'Acme Corp', level: 2 } },
  {
    name: 'org-billing',
    path: '/orgs/acme-corp/billing',
    shows: { role: 'table', name: 'Billing terms history' },
  },
  { name: 'agents', path: '/agents', shows: { role: 'table', name: 'Agents', text: 'Onboarding Guide' } },
  { name: 'billing', path: '/billing', shows: { role: 'table', name: 'Margins by organization' } },
  {
    name: 'billing-prices',
    path: '/billing/prices',
    shows: { role: 'table', name: 'Model prices', text: 'claude' },
  },
  { name: 'billing-usage', path: '/billing/usage', shows: { role: 'tab', name: 'Usage import' } },
  { name: 'knowledge', path: '/knowledge', shows: { role: 'heading', name: 'Knowledge', level: 2 } },
  {
    name: 'guardrails',
    path: '/guardrails',
    shows: { role: 'table', name: 'Guardrail coverage', text: 'Wayne Legal' },
  },
  { name: 'audit', path: '/audit', shows: { role: 'table', name: 'Audit entries' } },
  { name: 'users', path: '/users', shows: { role: 'table', text: 'Olivia Owner' } },
  { name: 'settings', path: '/settings', shows: { role: 'heading', name: 'Settings', level: 2 } },
  { name: 'tokens', path: '/tokens', shows: { role: 'heading', name: 'API tokens', level: 2 } },
];

export const pagePath = (path: string, acmeId: string) => path.replace('acme-corp', acmeId);

/**
 * Waits for a page's content: its marker, and no skeleton left. `timeout` as Playwright's
 * assertions take it (their default when not given).
 */
export async function pageReady(page: Page, shows: PageMarker, timeout?: number): Promise<void> {
  const marker = page.getByRole(shows.role, { name: shows.name, level: shows.level }).first();
  if (shows.text === undefined) await expect(marker).toBeVisible({ timeout });
  else await expect(marker).toContainText(shows.text, { timeout });
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0, { timeout });
}
