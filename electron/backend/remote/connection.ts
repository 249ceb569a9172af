import { type ChannelName, contract } from '../../../shared/contract';
import type { ConnectionProfile, ConnectionStatus } from '../../../shared/contract/connection';
import { AppError, type Envelope, noSuchChannel } from '../../../shared/contract/envelope';
import type { CallSession } from '../router/handler';
import { callForText, type JsonEnvelope, jsonEnvelope, type Router } from '../router/router';
import { validationError } from '../router/validation';
import { accountFor, type CredentialStore, type Keychain, sessionOnlyStore } from './credentials';
import { LOCAL_PROFILE, readProfiles, serverProfile, withServer, writeProfiles } from './profiles';
import { createRemoteRouter, type RemoteRouter, type RemoteRouterOptions } from './remote-router';

export interface ConnectionOptions {
  /** Where profiles.json lives (the desktop's data directory). */
  dataDir: string;
  /** Opens this computer's backend, on first use of the "This computer" profile. */
  openLocal(): LocalBackend;
  keychain: Keychain;
  /**
   * Who keeps a server's session token: 'app' (the desktop: the keychain, or memory if the user
   * chose so) or 'transport' (the headless console: the browser's cookie carries it through).
   */
  tokens: 'app' | 'transport';
  /** A console started with --remote: this one server, no profiles to pick. */
  fixedUrl?: string;
  remote?: Omit<RemoteRouterOptions, 'url'>;
}

/** This computer's backend: in-process, or a backend host whose close waits for its threads. */
interface LocalBackend {
  router: Router;
  /** A backend host's start: rejects with the reason its store cannot be opened. */
  ready?: Promise<void>;
  close(): void | Promise<void>;
}

type Target =
  | { profile: ConnectionProfile; local: Router; remote?: undefined }
  | { profile: ConnectionProfile; remote: RemoteRouter; token: string | null; local?: undefined };

/**
 * The router the desktop (and the console) binds once: connection.* answered here, every other
 * channel handed to the active profile's router — this computer's backend or a remote server.
 * Switching profiles swaps the target like switching workspaces.
 */
export async function openConnection(options: ConnectionOptions) {
  const { keychain, tokens, fixedUrl } = options;
  let profiles = fixedUrl
    ? {
        activeId: fixedUrl,
        profiles: [{ id: fixedUrl, kind: 'server' as const, url: fixedUrl, email: null }],
      }
    : readProfiles(options.dataDir);
  let local: LocalBackend | undefined;
  let sessionOnly: CredentialStore | undefined;
  let target: Target;

  const store = (): CredentialStore | undefined => keychain.store ?? sessionOnly;
  const accountOf = (profile: ConnectionProfile) => accountFor(profile.url ?? '', profile.email ?? '');

  async function activate(profile: ConnectionProfile): Promise<void> {
    target?.remote?.close();
    if (profile.kind === 'local') {
      local ??= options.openLocal();
      // A store that cannot be opened (a newer Orgdeck's) is said once, here, not by every call.
      await local.ready;
      target = { profile, local: local.router };
      return;
    }
    const remote = createRemoteRouter({ ...options.remote, url: profile.url ?? '' });
    const token = tokens === 'app' ? ((await store()?.get(accountOf(profile))) ?? null) : null;
    target = { profile, remote, token };
  }
  await activate(profiles.profiles.find((p) => p.id === profiles.activeId) ?? LOCAL_PROFILE);

  function status(): ConnectionStatus {
    const remote = target.remote?.status();
    const console = tokens === 'transport';
    return {
      mode: target.profile.kind,
      profileId: target.profile.id,
      url: target.profile.url,
      email: target.profile.email,
      online: remote?.online ?? true,
      cachedAt: remote?.cachedAt ?? null,
      problem: remote?.problem ?? null,
      keychain: keychain.available && !console ? 'available' : 'unavailable',
      keychainProblem: console ? 'the console keeps the session in your browser' : (keychain.problem ?? null),
      // The console's session cookie ends with the browser session, like a session-only sign-in.
      sessionOnly: console || sessionOnly !== undefined,
      switchable: !console && !fixedUrl,
    };
  }

  function mustBeSwitchable(): void {
    if (!status().switchable) {
      throw new AppError(
        'FORBIDDEN',
        'This console is bound to one server; profiles are chosen in the desktop app.',
      );
    }
  }

  async function switchTo(profile: ConnectionProfile, next: typeof profiles): Promise<ConnectionStatus> {
    profiles = next;
    writeProfiles(options.dataDir, profiles);
    await activate(profile);
    return status();
  }

  const connectionHandlers: Record<string, (input: never) => unknown> = {
    'connection.status': () => status(),
    'connection.profiles': () => profiles,
    'connection.addProfile': ({ url, email }: { url: string; email: string }) => {
      mustBeSwitchable();
      const profile = serverProfile(url, email);
      return switchTo(profile, withServer(profiles, profile, true));
    },
    'connection.switch': ({ id }: { id: string }) => {
      mustBeSwitchable();
      const profile = profiles.profiles.find((p) => p.id === id);
      if (!profile) throw new AppError('NOT_FOUND', 'There is no such connection profile.');
      return switchTo(profile, { ...profiles, activeId: id });
    },
    'connection.keepForSession': () => {
      if (keychain.available)
        throw new AppError('CONFLICT', 'This computer has a keychain: your sign-in is kept there.');
      sessionOnly ??= sessionOnlyStore();
      return status();
    },
  };

  async function answerLocally(name: string, input: unknown): Promise<Envelope<unknown>> {
    const spec = contract[name as ChannelName];
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) throw validationError(parsed.error);
    const handler = connectionHandlers[name];
    if (!handler) throw noSuchChannel(name);
    return { ok: true, data: spec.output.parse(await handler(parsed.data as never)) };
  }

  /** The desktop keeps the token itself: in the keychain, or in memory when the user chose session-only. */
  async function callWithAppToken(
    current: Extract<Target, { remote: RemoteRouter }>,
    name: string,
    input: unknown,
  ): Promise<Envelope<unknown>> {
    const account = accountOf(current.profile);
    if (name === 'session.signIn') {
      const email = (input as { email?: unknown } | null)?.email;
      if (typeof email === 'string' && email.trim().toLowerCase() !== current.profile.email) {
        throw new AppError(
          'VALIDATION',
          `This profile signs in as ${current.profile.email}. Add a profile to use another account.`,
          { issues: [{ path: ['email'], message: `This profile signs in as ${current.profile.email}` }] },
        );
      }
      if (!store()) {
        throw new AppError(
          'UNAVAILABLE',
          `This computer has no keychain (${keychain.problem}), and Orgdeck never writes your session in a file. Choose “Keep only for this session” to sign in until you close the app.`,
        );
      }
    }
    let changed: { token: string | null } | undefined;
    const envelope = await current.remote.call(name, input, {
      token: current.token,
      setToken: (token) => {
        changed = { token };
      },
    });
    if (changed && target === current) {
      current.token = changed.token;
      const credentials = store();
      // A keychain that fails now (it answered at start) leaves the sign-in in memory for this run.
      await (changed.token === null
        ? credentials?.delete(account)
        : credentials?.set(account, changed.token)
      )?.catch(() => {});
    }
    return envelope;
  }

  const answeredHere = (name: string) => name.startsWith('connection.') && Object.hasOwn(contract, name);
  const router: Required<Router> = {
    channels: Object.keys(contract),
    async call(name: string, input: unknown, session: CallSession): Promise<Envelope<unknown>> {
      try {
        if (answeredHere(name)) return await answerLocally(name, input);
        const current = target;
        if (current.local) return await current.local.call(name, input, session);
        if (tokens === 'transport') return await current.remote.call(name, input, session);
        return await callWithAppToken(current, name, input);
      } catch (error) {
        if (error instanceof AppError) return { ok: false, error: error.toApiError() };
        throw error;
      }
    },
    // This computer's backend host answers as text made on its own threads: the transport's thread
    // (the desktop's main one) never rebuilds a large report as objects.
    async callAsJson(name: string, input: unknown, session: CallSession): Promise<JsonEnvelope> {
      const current = target;
      if (current.local && !answeredHere(name)) return callForText(current.local, name, input, session);
      return jsonEnvelope(await router.call(name, input, session));
    },
  };

  return {
    router,
    status,
    async close(): Promise<void> {
      target.remote?.close();
      await local?.close();
    },
  };
}

export type Connection = Awaited<ReturnType<typeof openConnection>>;
