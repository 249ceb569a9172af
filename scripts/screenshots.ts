// Regenerates the README's screenshots (docs/screenshot-*.png) from the built console (`npm run build`
// first): a fresh data directory seeded through the CLI with a month of usage, `orgdeck serve` over
// it, and Debian's Chromium (or CHROMIUM_PATH) at 1440 × 900.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';
import { startConsole } from '../test/e2e/console-server';
import { DEMO_MONTH as MONTH, seedDemo } from '../test/e2e/demo-seed';
import { signIn } from '../test/e2e/fixtures';

const DOCS = join(import.meta.dirname, '../docs');

async function shoot(page: Page, name: string): Promise<void> {
  // The pointer rests off the content, so no row shows as hovered.
  await page.mouse.move(1439, 899);
  await page.screenshot({ path: join(DOCS, `screenshot-${name}.png`) });
  console.log(`docs/screenshot-${name}.png`);
}

const dataDir = mkdtempSync(join(tmpdir(), 'orgdeck-screens-'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: CHROMIUM_ARGS,
});
try {
  seedDemo(dataDir);
  const server = await startConsole(dataDir);
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
    await signIn(page, server.url);
    await expect(page.getByRole('table', { name: 'Organizations' })).toContainText('Wayne Legal');
    await shoot(page, 'orgs');

    await page.goto(`${server.url}/#/?month=${MONTH}`);
    await expect(page.getByRole('region', { name: 'Most expensive agents' })).toContainText('$');
    await shoot(page, 'home');

    await page.goto(`${server.url}/#/billing`);
    await page.getByRole('combobox', { name: 'Month' }).click();
    await page.getByRole('option', { name: MONTH, exact: true }).click();
    await expect(page.getByRole('group', { name: 'Revenue', exact: true })).toContainText('$');
    await shoot(page, 'billing');

    await page.goto(`${server.url}/#/agents`);
    await expect(page.getByRole('table', { name: 'Agents' })).toContainText('Onboarding Guide');
    await shoot(page, 'agents');
  } finally {
    await server.stop();
  }
} finally {
  await browser.close();
  rmSync(dataDir, { recursive: true, force: true });
}
