import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import { type ConsoleServer, OWNER, startConsole } from './console-server';

const SCREENS = join(import.meta.dirname, '../../test-results/screens');

/** Each test gets its own data directory and its own `orgdeck serve`. */
export const test = base.extend<{ dataDir: string; server: ConsoleServer }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixture's dependencies from this pattern.
  dataDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'orgdeck-e2e-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  server: async ({ dataDir }, use) => {
    const server = await startConsole(dataDir);
    await use(server);
    await server.stop();
  },
});

export { expect };

/** Saves a screenshot of a main screen under test-results/screens for a person to look at. */
export async function saveScreen(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true });
}

/** Closes the result toasts, so a screenshot (or a click) reaches the screen rather than them. */
export async function dismissToasts(page: Page): Promise<void> {
  // Toasts also close on their own, so click whichever is still there rather than a fixed list.
  const close = page.locator('.mantine-Notification-closeButton');
  while ((await close.count()) > 0)
    await close
      .first()
      .click({ timeout: 2_000 })
      .catch(() => {});
  await expect(page.locator('.mantine-Notification-root')).toHaveCount(0);
}

/** Signs in at the organization list (owners and admins would land on Home, users on their org). */
export async function signIn(page: Page, url: string, user = OWNER): Promise<void> {
  await page.goto(`${url.replace(/\/$/, '')}/#/orgs`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Organizations', exact: true })).toBeVisible();
}

/**
 * Runs axe-core's WCAG 2 A and AA rules on the page as it stands and fails with every violation,
 * each with the elements it found, so a failure says what to fix.
 */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const found = violations.map(
    (violation) =>
      `${violation.id} (${violation.nodes.length}): ${violation.nodes
        .slice(0, 5)
        .map((node) => `${node.target.join(' ')} ${node.failureSummary?.split('\n')[1] ?? ''}`)
        .join(' | ')}`,
  );
  // Soft: one run reports every page that fails, not only the first.
  expect.soft(found, `accessibility of ${where}`).toEqual([]);
}

/** The tables that scroll sideways: at 1024 px and wider, none should hide its last columns. */
export async function sidewaysScrolling(page: Page): Promise<string[]> {
  // A string: this project's Node types have no DOM, and the check runs in the page.
  return page.evaluate<string[]>(`[...document.querySelectorAll('table')]
    .filter((table) => {
      const box = table.closest('.mantine-ScrollArea-viewport') ?? table.parentElement;
      return box !== null && box.scrollWidth > box.clientWidth + 1;
    })
    .map((table) => table.getAttribute('aria-label') ?? 'a table without a name')`);
}
