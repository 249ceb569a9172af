import { CONTRACT_VERSION } from '../../../../shared/contract/version';
import { accountFor, type Keychain, openKeychain } from '../../remote/credentials';
import { readProfiles, serverOrigin, serverProfile, withServer, writeProfiles } from '../../remote/profiles';
import { createRemoteRouter } from '../../remote/remote-router';
import { APP_VERSION } from '../../version';
import { CliFailure, type CliIo, formatTable, passwordFromStdin } from '../cli-context';
import { type Command, str } from '../command';

/** ORGDECK_TOKEN (say, an `odk_…` API token in a script) goes before anything stored. */
export const TOKEN_ENV = 'ORGDECK_TOKEN';

const keychainOf = (io: CliIo): Promise<Keychain> => (io.openKeychain ?? openKeychain)();

export function originOf(address: string): string {
  try {
    return serverOrigin(address);
  } catch (error) {
    throw new CliFailure(
      { code: 'VALIDATION', message: error instanceof Error ? error.message : String(error) },
      2,
    );
  }
}

/** The stored sign-in for a server: the profile signed in most recently first, then any other in the keychain. */
export async function storedSignIn(
  io: CliIo,
  dataDir: string,
  url: string,
): Promise<{ email: string; token: string } | null> {
  const keychain = await keychainOf(io);
  if (!keychain.store) return null;
  const known = readProfiles(dataDir)
    .profiles.filter((p) => p.kind === 'server' && p.url === url)
    .map((p) => p.email ?? '');
  const inKeychain = (await keychain.store.accounts())
    .filter((account) => account.startsWith(`${url} `))
    .map((account) => account.slice(url.length + 1));
  for (const email of [...new Set([...known, ...inKeychain])]) {
    const token = await keychain.store.get(accountFor(url, email));
    if (token) return { email, token };
  }
  return null;
}

export const remoteCommands: Command[] = [
  {
    words: ['remote', 'login'],
    usage: 'remote login URL --email E --password-stdin [--totp-code CODE]',
    summary:
      'Sign in to an Orgdeck server and keep the session token in the OS keychain; with two-factor sign-in, a current code (--totp-code)',
    options: {
      email: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      'totp-code': { type: 'string' },
    },
    positionals: 1,
    where: 'none',
    async run({ values, positionals }, { io, dataDir }) {
      const url = originOf(positionals[0] ?? '');
      const email = str(values.email);
      if (!email) throw new CliFailure({ code: 'VALIDATION', message: 'Say who signs in with --email.' }, 2);
      const password = await passwordFromStdin(io, values['password-stdin'] === true);
      const keychain = await keychainOf(io);
      if (!keychain.store) {
        throw new CliFailure({
          code: 'UNAVAILABLE',
          message: `No keychain on this computer: ${keychain.problem}. Orgdeck never writes a session token to a file; for scripts, pass an API token in ${TOKEN_ENV}.`,
        });
      }
      const remote = createRemoteRouter({ url });
      let token: string | null = null;
      const totp = str(values['totp-code']);
      const envelope = await remote.call(
        'session.signIn',
        { email, password, ...(totp ? { totp } : {}) },
        {
          token: null,
          setToken: (value) => {
            token = value;
          },
        },
      );
      remote.close();
      if (!envelope.ok) throw new CliFailure(envelope.error);
      if (!token)
        throw new CliFailure({ code: 'INTERNAL', message: `${url} signed you in without a session token.` });
      const profile = serverProfile(url, email);
      await keychain.store.set(accountFor(url, profile.email ?? email), token);
      writeProfiles(dataDir, withServer(readProfiles(dataDir), profile, false));
      const { user } = envelope.data as { user: { name: string; email: string } };
      io.out(`Signed in to ${url} as ${user.name} <${user.email}>. The session token is in the keychain.`);
    },
  },
  {
    words: ['remote', 'status'],
    usage: 'remote status [--remote URL] [--json]',
    summary: 'Each server profile: address, user, whether it answers, and the versions on both sides',
    options: {},
    where: 'none',
    async run({ values }, { io, dataDir, json }) {
      const given = str(values.remote);
      const urls = given
        ? [originOf(given)]
        : [...new Set(readProfiles(dataDir).profiles.flatMap((p) => (p.url ? [p.url] : [])))];
      if (urls.length === 0) {
        io.out(
          'No Orgdeck servers yet. Sign in to one with `orgdeck remote login URL --email E --password-stdin`.',
        );
        return;
      }
      const rows = [];
      for (const url of urls) {
        const remote = createRemoteRouter({ url, callTimeoutMs: 5_000 });
        const check = await remote.check();
        const signIn = process.env[TOKEN_ENV]
          ? { email: '', token: process.env[TOKEN_ENV] }
          : await storedSignIn(io, dataDir, url);
        let user = signIn ? `${signIn.email} (not checked)` : '(not signed in)';
        if (signIn && check.online && !check.problem) {
          const current = await remote.call(
            'session.current',
            {},
            { token: signIn.token, setToken: () => {} },
          );
          const who = current.ok ? (current.data as { user: { email: string } | null }).user : null;
          user = who ? who.email : `${signIn.email} (session expired: sign in again)`;
        }
        remote.close();
        const server = check.server as { app?: string; contract?: number } | null;
        rows.push({
          server: url,
          user,
          reachable: check.online ? 'yes' : 'no',
          versions: `server ${server?.app ?? '?'} (contract v${server?.contract ?? '?'}), this CLI ${APP_VERSION} (contract v${CONTRACT_VERSION})`,
          problem: check.problem ?? '',
        });
      }
      io.out(
        json
          ? JSON.stringify(rows, null, 2)
          : formatTable(rows, ['server', 'user', 'reachable', 'versions', 'problem']),
      );
      if (rows.some((row) => row.reachable === 'no' || row.problem)) {
        throw new CliFailure({ code: 'UNAVAILABLE', message: 'Not every server answers this app.' });
      }
    },
  },
];
