import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConnectionProfile } from '../../../shared/contract/connection';
import { AppError } from '../../../shared/contract/envelope';
import { accountFor } from './credentials';

/** The connection profiles, in the data directory: kinds, addresses and emails, never a secret. */
export const PROFILES_FILE = 'profiles.json';

export const LOCAL_PROFILE: ConnectionProfile = { id: 'local', kind: 'local', url: null, email: null };

export interface Profiles {
  activeId: string;
  /** "This computer" first, then servers, the most recently added or signed-in first. */
  profiles: ConnectionProfile[];
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A server address reduced to its origin. Plain http only on this computer's loopback: anywhere
 * else the session token would cross the network in clear.
 */
export function serverOrigin(address: string): string {
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    throw new AppError('VALIDATION', `"${address}" is not an address like https://orgdeck.example.com.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new AppError(
      'VALIDATION',
      `Use https:// for ${url.host || address}: a session token must not cross the network unencrypted.`,
    );
  }
  return url.origin;
}

export function serverProfile(url: string, email: string): ConnectionProfile {
  const origin = serverOrigin(url);
  const address = email.trim().toLowerCase();
  return { id: accountFor(origin, address), kind: 'server', url: origin, email: address };
}

export function readProfiles(dataDir: string): Profiles {
  let saved: Partial<{ activeId: unknown; servers: unknown }> = {};
  try {
    saved = JSON.parse(readFileSync(join(dataDir, PROFILES_FILE), 'utf8'));
  } catch {
    // No file yet (or an unreadable one): only this computer.
  }
  const servers = Array.isArray(saved.servers) ? saved.servers : [];
  const profiles = [LOCAL_PROFILE];
  for (const server of servers as { url?: unknown; email?: unknown }[]) {
    if (typeof server?.url !== 'string' || typeof server.email !== 'string') continue;
    try {
      profiles.push(serverProfile(server.url, server.email));
    } catch {
      // An entry that is no longer acceptable (say, plain http to another host) is left out.
    }
  }
  const activeId = profiles.some((p) => p.id === saved.activeId) ? (saved.activeId as string) : 'local';
  return { activeId, profiles };
}

export function writeProfiles(dataDir: string, { activeId, profiles }: Profiles): void {
  mkdirSync(dataDir, { recursive: true });
  const servers = profiles.filter((p) => p.kind === 'server').map(({ url, email }) => ({ url, email }));
  const file = join(dataDir, PROFILES_FILE);
  // Written aside and renamed, so a crash never leaves half a file.
  writeFileSync(`${file}.tmp`, `${JSON.stringify({ activeId, servers }, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/** The profiles with `profile` added (or moved) to the front of the servers. */
export function withServer(state: Profiles, profile: ConnectionProfile, activate: boolean): Profiles {
  const others = state.profiles.filter((p) => p.id !== profile.id && p.kind === 'server');
  return {
    activeId: activate ? profile.id : state.activeId,
    profiles: [LOCAL_PROFILE, profile, ...others],
  };
}
