import { app, BrowserWindow } from 'electron';
import { openBackend } from '../backend/backend';
import { openConnection } from '../backend/remote/connection';
import { openKeychain } from '../backend/remote/credentials';
import { bindIpc } from './ipc';
import { isTrustedRendererUrl } from './security-rules';
import { createMainWindow, hardenWebContents, rendererUrl } from './window';

// A second copy would open the same SQLite store as a second writer: focus the first instead.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });

  hardenWebContents();

  void app.whenReady().then(async () => {
    const dataDir = app.getPath('userData');
    // The active profile's router (this computer's store or an Orgdeck server) sits behind one
    // binding; switching profiles swaps it inside, so nothing is re-bound here.
    const connection = await openConnection({
      dataDir,
      keychain: await openKeychain(),
      tokens: 'app',
      openLocal: () =>
        openBackend({
          dataDir,
          importWorker: new URL('./usage-import-worker.js', import.meta.url),
          extractWorker: new URL('./knowledge-extract-worker.js', import.meta.url),
          autoBackups: true,
        }),
    });
    const trusted = rendererUrl();
    bindIpc(connection.router, (url) => isTrustedRendererUrl(url, trusted));
    createMainWindow();

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
    });
    app.on('will-quit', () => connection.close());
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
