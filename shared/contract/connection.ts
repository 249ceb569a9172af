import * as z from 'zod';
import { channel } from './channel';
import { Email } from './fields';

/** Where the app's data lives: this computer's store, or an Orgdeck server (team mode). */
export const ConnectionMode = z.enum(['local', 'server']);

/** A server's address: http(s) only; the app keeps just its origin. */
export const ServerUrl = z
  .string()
  .trim()
  .min(1, 'Enter the server’s address')
  .max(2048, 'An address is at most 2048 characters')
  // The backend checks the rest (https off this computer) when it reduces the address to its origin.
  .regex(/^https?:\/\/[^\s/?#@]+(\/\S*)?$/i, 'Enter an address like https://orgdeck.example.com');

export const ConnectionProfile = z.object({
  /** "local", or the server's origin and the email, joined by a space. */
  id: z.string(),
  kind: ConnectionMode,
  url: z.string().nullable(),
  email: z.string().nullable(),
});
export type ConnectionProfile = z.infer<typeof ConnectionProfile>;

export const ConnectionStatus = z.object({
  mode: ConnectionMode,
  profileId: z.string(),
  url: z.string().nullable(),
  email: z.string().nullable(),
  /** False while the server cannot be reached; the app keeps trying on its own. */
  online: z.boolean(),
  /** When the cached data last shown offline was loaded (ISO, UTC). */
  cachedAt: z.string().nullable(),
  /** Why the server refuses this app, e.g. a contract version mismatch naming the side to update. */
  problem: z.string().nullable(),
  keychain: z.enum(['available', 'unavailable']),
  /** Why the keychain is unavailable, in words. */
  keychainProblem: z.string().nullable(),
  /** The user chose to keep a server's session token in memory only (no keychain here). */
  sessionOnly: z.boolean(),
  /** False where the connection is fixed (a headless console started with --remote, `orgdeck serve`). */
  switchable: z.boolean(),
});
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

// Answered by the app itself (the desktop's main process or the console), never forwarded to a server.
export const connectionChannels = {
  'connection.status': channel({
    summary: 'Where this app’s data comes from, and whether the server can be reached',
    kind: 'read',
    permission: 'public',
    input: z.object({}).strict(),
    output: ConnectionStatus,
  }),
  'connection.profiles': channel({
    summary: 'The connection profiles of this app: this computer, and Orgdeck servers',
    kind: 'read',
    permission: 'public',
    input: z.object({}).strict(),
    output: z.object({ profiles: z.array(ConnectionProfile), activeId: z.string() }),
  }),
  'connection.addProfile': channel({
    summary: 'Add an Orgdeck server profile (address and email; no secrets) and switch to it',
    kind: 'write',
    permission: 'public',
    input: z.object({ url: ServerUrl, email: Email }).strict(),
    output: ConnectionStatus,
  }),
  'connection.switch': channel({
    summary: 'Switch to another connection profile, like switching workspaces',
    kind: 'write',
    permission: 'public',
    input: z.object({ id: z.string().min(1).max(2400) }).strict(),
    output: ConnectionStatus,
  }),
  'connection.keepForSession': channel({
    summary: 'Without a keychain: keep a server’s session token in memory only, until the app closes',
    kind: 'write',
    permission: 'public',
    input: z.object({}).strict(),
    output: ConnectionStatus,
  }),
};
