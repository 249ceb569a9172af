import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Orgdeck';

/** Where the desktop app keeps its data (Electron's userData for productName "Orgdeck"), so the CLI finds it. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}
