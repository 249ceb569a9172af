import { ipcMain, type WebContents } from 'electron';
import type { ChannelName } from '../../shared/contract';
import { callForText, type Router } from '../backend/router/router';

const FOREIGN_FRAME = JSON.stringify({
  ok: false,
  error: { code: 'FORBIDDEN', message: 'This window may not call Orgdeck.' },
});

/** The sessions of the windows bound. */
export interface WindowSessions {
  /**
   * The session tokens of the windows signed in to this computer's store now (a server's sessions
   * are kept by the connection instead). A window that switched to a server profile keeps its
   * local session: switching back needs no sign-in.
   */
  sessionTokens(): string[];
}

/**
 * One ipcMain.handle per contract channel, answering the envelope as JSON text, which the preload
 * parses in the window's process: the main thread (the one that draws every window) copies a
 * string rather than rebuilding a large report as objects and copying those again to the window.
 * The session token stays in the main process, keyed by the window's webContents, so the renderer
 * never holds it.
 */
export function bindIpc(
  router: Router,
  isTrustedFrame: (url: string) => boolean,
  /**
   * Told each time a window signs in, with its new session's token, and when it finishes enrolling
   * two-factor sign-in: a session that had to enrol may see more from then on (budget alerts).
   */
  onSignedIn: (token: string) => void = () => {},
): WindowSessions {
  const tokens = new Map<number, string>();
  const forget = (contents: WebContents) => contents.once('destroyed', () => tokens.delete(contents.id));

  for (const name of router.channels) {
    ipcMain.handle(name, async (event, input: unknown): Promise<string> => {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !isTrustedFrame(frame.url)) return FOREIGN_FRAME;
      const id = event.sender.id;
      const answer = await callForText(router, name, input, {
        token: tokens.get(id) ?? null,
        setToken: (token) => {
          if (token === null) tokens.delete(id);
          else if (!tokens.has(id)) forget(event.sender);
          if (token !== null) {
            tokens.set(id, token);
            onSignedIn(token);
          }
        },
      });
      const token = tokens.get(id);
      if (name === ('twoFactor.confirm' satisfies ChannelName) && answer.error === null && token)
        onSignedIn(token);
      return answer.json;
    });
  }
  return { sessionTokens: () => [...tokens.values()] };
}
