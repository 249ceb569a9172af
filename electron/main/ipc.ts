import { ipcMain, type WebContents } from 'electron';
import type { Router } from '../backend/router/router';

/**
 * One ipcMain.handle per contract channel. The session token stays in the main process, keyed
 * by the window's webContents, so the renderer never holds it.
 */
export function bindIpc(router: Router, isTrustedFrame: (url: string) => boolean): void {
  const tokens = new Map<number, string>();
  const forget = (contents: WebContents) => contents.once('destroyed', () => tokens.delete(contents.id));

  for (const name of router.channels) {
    ipcMain.handle(name, async (event, input: unknown) => {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !isTrustedFrame(frame.url)) {
        return { ok: false, error: { code: 'FORBIDDEN', message: 'This window may not call Orgdeck.' } };
      }
      const id = event.sender.id;
      return router.call(name, input, {
        token: tokens.get(id) ?? null,
        setToken: (token) => {
          if (token === null) tokens.delete(id);
          else if (!tokens.has(id)) forget(event.sender);
          if (token !== null) tokens.set(id, token);
        },
      });
    });
  }
}
