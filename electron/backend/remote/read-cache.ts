import { createHash } from 'node:crypto';

interface Entry {
  data: unknown;
  cachedAt: string;
}

/**
 * The answers of recent reads, shown while the server cannot be reached. One cache belongs to one
 * profile (server and account), and inside it entries are keyed by a hash of the session token, so
 * an answer is only ever shown again to the session it was loaded for. Kept in memory only: nothing
 * of a tenant lands on this computer's disk, at the price of an empty cache after a restart.
 */
export function createReadCache(maxEntries = 500) {
  const entries = new Map<string, Entry>();
  const sessionOf = (token: string | null) =>
    token === null ? 'anonymous' : createHash('sha256').update(token).digest('base64url');
  const keyOf = (token: string | null, channel: string, input: unknown) =>
    `${sessionOf(token)}\n${channel}\n${JSON.stringify(input ?? {})}`;

  return {
    put(token: string | null, channel: string, input: unknown, data: unknown, cachedAt: string): void {
      const key = keyOf(token, channel, input);
      entries.delete(key);
      entries.set(key, { data, cachedAt });
      // Map iteration is insertion order: the first key is the least recently stored.
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    get(token: string | null, channel: string, input: unknown): Entry | undefined {
      return entries.get(keyOf(token, channel, input));
    },
    /** Drops everything one session loaded, e.g. when it signs out. */
    forget(token: string | null): void {
      const prefix = `${sessionOf(token)}\n`;
      for (const key of [...entries.keys()]) if (key.startsWith(prefix)) entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}

export type ReadCache = ReturnType<typeof createReadCache>;
