import { describe, expect, it, vi } from 'vitest';
import { DECOY_HASH, hashPassword, verifyPassword } from '../../../electron/backend/services/passwords';
import { NO_PASSWORD } from '../../../electron/backend/transfer/import-archive';

/** How many scrypt derivations ran: the cost a sign-in pays, whatever its timing on this machine. */
const derivations = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:crypto', async (original) => {
  const crypto = await original<typeof import('node:crypto')>();
  return {
    ...crypto,
    scrypt: (...args: Parameters<typeof crypto.scrypt>) => {
      derivations.count++;
      return crypto.scrypt(...args);
    },
  };
});

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

  it('makes an imported account (no password until reset) cost what any other does, so it is not told apart', async () => {
    const before = derivations.count;
    expect(await verifyPassword('correct horse battery', NO_PASSWORD)).toBe(false);
    expect(derivations.count).toBe(before + 1);
  });
});
