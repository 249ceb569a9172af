import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, initOwner, startConsole } from './console-server';
import { expect, saveScreen, signIn, test } from './fixtures';

// Server A holds the data (`orgdeck serve`); console B (`orgdeck serve --remote A`) serves the
// renderer with the remote router behind it, as the desktop app does for a server profile.
test('the renderer pointed at a server shows its data, goes offline with cached data, refuses writes, and recovers', async ({
  page,
  server: console,
  dataDir: consoleDir,
}) => {
  test.setTimeout(90_000);
  const serverDir = mkdtempSync(join(tmpdir(), 'orgdeck-e2e-server-'));
  try {
    initOwner(serverDir);
    cli(serverDir, ['org', 'create', '--name', 'Remote Harbor Co', '--rate', '55.00']);
    let serverA = await startConsole(serverDir);
    const port = new URL(serverA.url).port;
    await console.stop();
    const consoleB = await startConsole(consoleDir, ['--remote', serverA.url]);
    try {
      await page.goto(consoleB.url);
      await expect(page.getByText(`Orgdeck server: ${serverA.url}`)).toBeVisible();
      await saveScreen(page, 'sign-in-remote-profile');
      await signIn(page, consoleB.url);
      const table = page.getByRole('table', { name: 'Organizations' });
      await expect(table.getByText('Remote Harbor Co')).toBeVisible();
      await expect(page.getByText(/Offline/)).toHaveCount(0);

      await serverA.stop();
      await page.reload();
      const banner = page.getByRole('status').filter({ hasText: 'Offline — showing data from' });
      await expect(banner).toBeVisible();
      const shown = (await banner.textContent()) ?? '';
      expect(shown).toMatch(/showing data from \d{1,2}:\d{2}/);
      await expect(table.getByText('Remote Harbor Co')).toBeVisible();

      await page.getByRole('button', { name: 'New organization' }).click();
      const dialog = page.getByRole('dialog', { name: 'New organization' });
      await dialog.getByLabel('Name').fill('Written While Offline');
      await dialog.getByRole('button', { name: 'Create organization' }).click();
      await expect(
        page.getByText(/Offline: Orgdeck cannot reach the server at .* so this change was not saved/),
      ).toBeVisible();
      await saveScreen(page, 'offline-banner');
      await dialog.getByRole('button', { name: 'Cancel' }).click();

      serverA = await startConsole(serverDir, ['--port', port]);
      await expect(banner).toHaveCount(0, { timeout: 25_000 });
      await page.getByRole('button', { name: 'New organization' }).click();
      await dialog.getByLabel('Name').fill('Written After Reconnect');
      await dialog.getByRole('button', { name: 'Create organization' }).click();
      await expect(table.getByText('Written After Reconnect')).toBeVisible();
      const onServer = JSON.parse(cli(serverDir, ['org', 'list', '--json'])) as { name: string }[];
      expect(onServer.map((org) => org.name)).toContain('Written After Reconnect');
      expect(onServer.map((org) => org.name)).not.toContain('Written While Offline');
    } finally {
      await consoleB.stop();
      await serverA.stop();
    }
  } finally {
    rmSync(serverDir, { recursive: true, force: true });
  }
});
