import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openKeychain } from '../remote/credentials';

/** The key file's name in the data directory, where there is no OS keychain. */
export const TOTP_KEY_FILE = 'totp-seal.key';
const ALGORITHM = 'aes-256-gcm';

export interface TotpSeal {
  seal(seed: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

/**
 * The key that seals TOTP seeds at rest, kept outside the store so a copy of the database alone
 * does not give away anyone's second factor: in the OS keychain (service "Orgdeck", account
 * "totp-seal <data dir>") where one answers, else in <data dir>/totp-seal.key, readable by its
 * owner only (0600). A key file once written keeps being used, so a keychain appearing later
 * does not orphan seeds sealed before.
 */
async function loadKey(dataDir: string): Promise<Buffer> {
  const file = join(dataDir, TOTP_KEY_FILE);
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  const keychain = await openKeychain();
  if (keychain.available) {
    const account = `totp-seal ${dataDir}`;
    const stored = await keychain.store.get(account);
    if (stored) return Buffer.from(stored, 'base64');
    const key = randomBytes(32);
    await keychain.store.set(account, key.toString('base64'));
    return key;
  }
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64'), { mode: 0o600, flag: 'wx' });
  return key;
}

export function createTotpSeal(dataDir: string): TotpSeal {
  let key: Promise<Buffer> | undefined;
  const keyNow = () => {
    key ??= loadKey(dataDir);
    return key;
  };
  return {
    /** `v1.iv.tag.ciphertext`, base64url parts: AES-256-GCM, so a changed value fails to open. */
    async seal(seed) {
      const iv = randomBytes(12);
      const cipher = createCipheriv(ALGORITHM, await keyNow(), iv);
      const body = Buffer.concat([cipher.update(seed, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), body]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    async open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || !body) throw new Error('A sealed TOTP seed is malformed.');
      const decipher = createDecipheriv(ALGORITHM, await keyNow(), Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}
