import { createHash, randomBytes } from 'node:crypto';

/** Every API token starts with this, so it is recognizable in a leaked config file or a secret scanner. */
export const API_TOKEN_MARK = 'odk_';
/** How much of an API token the lists show: the mark and six characters, far too few to guess the rest. */
const SHOWN_CHARS = API_TOKEN_MARK.length + 6;

/** Sessions and API tokens are stored as this hash only; the secret itself lives with the client. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const newSessionToken = () => randomBytes(32).toString('base64url');

export function newApiToken(): { secret: string; prefix: string } {
  const secret = `${API_TOKEN_MARK}${randomBytes(32).toString('base64url')}`;
  return { secret, prefix: secret.slice(0, SHOWN_CHARS) };
}

export const isApiToken = (token: string) => token.startsWith(API_TOKEN_MARK);
