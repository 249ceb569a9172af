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

/** Crockford's base32 without look-alikes: a code read off a terminal and typed into a form. */
const SETUP_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Twelve characters from 32 (60 bits), shown as XXXX-XXXX-XXXX. */
export function newSetupCode(): string {
  const chars = [...randomBytes(12)].map((byte) => SETUP_ALPHABET[byte % 32]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

/** Case, spaces and dashes do not matter to a person typing the code; the hash has a fixed length to compare. */
export const hashSetupCode = (code: string) =>
  createHash('sha256').update(code.toUpperCase().replace(/[\s-]/g, '')).digest();

/** A setup code for a console to print, and the hash its backend (every thread of it) checks against. */
export function issueSetupCode(): { code: string; hashHex: string } {
  const code = newSetupCode();
  return { code, hashHex: hashSetupCode(code).toString('hex') };
}
