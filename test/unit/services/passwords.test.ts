import { describe, expect, it } from 'vitest';
import { DECOY_HASH, hashPassword, verifyPassword } from '../../../electron/backend/services/passwords';

/** A stored hash's cost and sizes: what decides how long verifying against it takes. */
function costOf(stored: string) {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  return {
    scheme,
    n,
    r,
    p,
    saltBytes: Buffer.from(salt ?? '', 'base64').length,
    keyBytes: Buffer.from(key ?? '', 'base64').length,
  };
}

describe('passwords', () => {
  it('verifies the password a hash was made from and refuses another', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
  });

  it('makes an unknown email cost what a known one does: the decoy has a real hash’s cost, and nothing matches it', async () => {
    // Equal cost, not equal time: timing one run against another here would measure the machine.
    expect(costOf(DECOY_HASH)).toEqual(costOf(await hashPassword('correct horse battery')));
    expect(await verifyPassword('correct horse battery', DECOY_HASH)).toBe(false);
    expect(await verifyPassword('', DECOY_HASH)).toBe(false);
  });
});
