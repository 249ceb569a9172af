import { app, BrowserWindow, dialog, Notification } from 'electron';
import { openBackendHost } from '../backend/host/backend-host';
import { openConnection } from '../backend/remote/connection';
import { openKeychain } from '../backend/remote/credentials';
import { createAlertNotices } from './budget-alert-notices';
import { bindIpc, type WindowSessions } from './ipc';
import { isTrustedRendererUrl } from './security-rules';
import { createMainWindow, hardenWebContents, rendererUrl } from './window';

// Only what Electron allows before `ready` runs at load: the single-instance lock and app events.
// session, BrowserWindow, screen, protocol.handle and webContents wait for app.whenReady().

// A second copy would open the same SQLite store as a second writer: focus the first instead.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  void app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      // Without this the process would stay up with no window and no word of why.
      dialog.showErrorBox('Orgdeck could not start', error instanceof Error ? error.message : String(error));
      app.quit();
    });
}

async function start(): Promise<void> {
  hardenWebContents();
  const dataDir = app.getPath('userData');
  let windows: WindowSessions | undefined;
  let notices: ReturnType<typeof createAlertNotices> | undefined;
  // The active profile's router (this computer's store or an Orgdeck server) sits behind one
  // binding; switching profiles swaps it inside, so nothing is re-bound here.
  const connection = await openConnection({
    dataDir,
    keychain: await openKeychain(),
    tokens: 'app',
    // The store works in the host's worker threads: no call holds the window's thread.
    openLocal: () => {
      const host = openBackendHost({
        dataDir,
        hostWorker: new URL('./backend-host-worker.js', import.meta.url),
        importWorker: new URL('./usage-import-worker.js', import.meta.url),
        extractWorker: new URL('./knowledge-extract-worker.js', import.meta.url),
        autoBackups: true,
        // The backend raises budget alerts; the window may be closed or hidden, so the OS shows
        // them, once someone who may see them is signed in here (budget-alert-notices.ts).
        onBudgetAlert: (alert) => notices?.raised(alert),
      });
      notices = createAlertNotices(
        host.router,
        () => windows?.sessionTokens() ?? [],
        (alert) => {
          if (Notification.isSupported())
            new Notification({ title: 'Budget alert', body: alert.message }).show();
        },
      );
      return host;
    },
  });
  // Quit waits once for the backend's threads to close the store.
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    void connection.close().finally(() => {
      closed = true;
      app.quit();
    });
  });
  const trusted = rendererUrl();
  windows = bindIpc(
    connection.router,
    (url) => isTrustedRendererUrl(url, trusted),
    (token) => notices?.signedIn(token),
  );
  createMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
  });
}
