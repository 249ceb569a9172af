import { app, BrowserWindow } from 'electron';
import { openBackend } from '../backend/backend';
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

  void app.whenReady().then(() => {
    const backend = openBackend({
      dataDir: app.getPath('userData'),
      importWorker: new URL('./usage-import-worker.js', import.meta.url),
      autoBackups: true,
    });
    const trusted = rendererUrl();
    bindIpc(backend.router, (url) => isTrustedRendererUrl(url, trusted));
    createMainWindow();

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
    });
    app.on('will-quit', () => backend.close());
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
