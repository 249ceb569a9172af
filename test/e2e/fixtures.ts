import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import { type ConsoleServer, OWNER, startConsole } from './console-server';

const SCREENS = join(import.meta.dirname, '../../test-results/screens');

/** Fills a new data directory, with the CLI, as a test's starting point; what it returns must not name the directory. */
export type Seed<T> = (dataDir: string) => T;

/**
 * Gives `dataDir` what `seed` writes, and returns what it returned. Each seed runs once per worker, in a
 * template directory that every later test copies: the CLI takes about half a second a run, and
 * most specs seed the same store before each of their tests. Call it in a beforeEach hook, before
 * the test's server opens the directory.
 */
export type Seeded = <T>(dataDir: string, seed: Seed<T>) => T;

/** Each test gets its own data directory and its own `orgdeck serve`. */
export const test = base.extend<{ dataDir: string; server: ConsoleServer }, { seeded: Seeded }>({
  seeded: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixture's dependencies from this pattern.
    async ({}, use) => {
      const root = mkdtempSync(join(tmpdir(), 'orgdeck-e2e-seeds-'));
      const templates = new Map<Seed<unknown>, { dir: string; result: unknown }>();
      await use(<T>(dataDir: string, seed: Seed<T>): T => {
        if (readdirSync(dataDir).length > 0)
          throw new Error('seeded() fills a new data directory: call it before the server starts.');
        let template = templates.get(seed);
        if (!template) {
          const dir = mkdtempSync(join(root, 'seed-'));
          const started = Date.now();
          template = { dir, result: seed(dir) };
          templates.set(seed, template);
          // The template serves every later test of the worker: the test that made it gets that time back.
          base.info().setTimeout(base.info().timeout + (Date.now() - started));
        }
        cpSync(template.dir, dataDir, { recursive: true });
        return template.result as T;
      });
      rmSync(root, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
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
/** The whole page, or (`fullPage: false`) the window as a user sees it: a dialog stays in view only there. */
export async function saveScreen(page: Page, name: string, { fullPage = true } = {}): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage });
}

/** Saves a screen in light and dark, at 1440 and 1024 px wide, then goes back to light at 1440 px. */
export async function saveScreens(page: Page, name: string, { fullPage = true } = {}): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: width === 1440 ? 900 : 768 });
      await saveScreen(page, `${name}-${scheme}-${width}`, { fullPage });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1440, height: 900 });
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
