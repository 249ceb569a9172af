import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, session, shell } from 'electron';
import { isSafeExternalUrl } from './security-rules';

/** The URL the renderer is loaded from: the dev server while developing, the built file otherwise. */
export function rendererUrl(): string {
  const devServer = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
  return devServer ?? pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;
}

/**
 * Locks down every web contents the app ever creates (Electron's security checklist). It reads
 * `session`, so it runs once the app is ready.
 */
export function hardenWebContents(): void {
  // The console needs no camera, microphone, notification or other browser permission: none is
  // granted, and a page checking for one is told no.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, grant) => grant(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    // webPreferences.devTools covers our window; this covers any other contents in a packaged build.
    if (app.isPackaged) contents.on('devtools-opened', () => contents.closeDevTools());
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isSafeExternalUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Orgdeck',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(rendererUrl());
  return window;
}
