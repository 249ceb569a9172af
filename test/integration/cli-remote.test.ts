import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../electron/backend/backend';
import type { CliIo } from '../../electron/backend/cli/cli-context';
import { runCli } from '../../electron/backend/cli/run-cli';
import { type Keychain, openKeychain, sessionOnlyStore } from '../../electron/backend/remote/credentials';
import { CONTRACT_VERSION } from '../../shared/contract/version';
import { unusedCodes } from '../fixtures/authenticator';
import { makeTempDir, removeDir } from '../fixtures/backend';
import { type ApiServer, startApiServer } from '../fixtures/remote-server';
import {
  buildTenantWorld,
  must,
  ownerSession,
  PASSWORD,
  type TenantWorld,
  tokenSession,
} from '../fixtures/tenants';

let world: TenantWorld;
let server: ApiServer;
let dataDir: string;
// The keychain itself is tested against a real Secret Service in credentials.test.ts; here it is
// a working one in memory, so these tests are about the commands.
let keychain: Keychain;

async function cli(args: string[], stdin = '', openKc = async () => keychain) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => void out.push(text),
    err: (text) => void err.push(text),
    readStdin: async () => stdin,
    rendererDir: dataDir,
    untilStopped: () => new Promise(() => {}),
    openKeychain: openKc,
  };
  const code = await runCli([...args, '--data-dir', dataDir], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  world = await buildTenantWorld();
  server = await startApiServer(world.backend);
});
afterAll(async () => {
  await server.stop();
  world.close();
});
beforeEach(() => {
  dataDir = makeTempDir('orgdeck-cli-remote-');
  keychain = { available: true, store: sessionOnlyStore() };
  return () => removeDir(dataDir);
});

const login = () =>
  cli(['remote', 'login', server.url, '--email', 'owner@example.com', '--password-stdin'], `${PASSWORD}\n`);

describe('orgdeck remote and --remote', () => {
  it('remote login keeps the token in the keychain; --remote runs commands on the server with it', async () => {
    const signedIn = await login();
    expect(signedIn, signedIn.err).toMatchObject({ code: 0 });
    expect(signedIn.out).toContain(`Signed in to ${server.url} as Olivia Owner <owner@example.com>`);
    expect(await keychain.store?.get(`${server.url} owner@example.com`)).toMatch(/\S{20,}/);

    const orgs = await cli(['org', 'list', '--remote', server.url]);
    expect(orgs, orgs.err).toMatchObject({ code: 0 });
    expect(orgs.out).toContain('Alphaorg Zebra');
    expect(orgs.out).toContain('Betaorg Quokka');

    const created = await cli([
      'agent',
      'create',
      '--name',
      'Cli Remote Bot',
      '--handle',
      'cli-remote-bot',
      '--org',
      world.orgs.c.slug,
      '--remote',
      server.url,
    ]);
    expect(created, created.err).toMatchObject({ code: 0 });
    const onServer = await world.backend.router.call(
      'agents.get',
      { handle: 'cli-remote-bot' },
      ownerSession(),
    );
    expect(onServer).toMatchObject({ ok: true, data: { org: { id: world.orgs.c.id } } });

    // Nothing was opened or created on this computer's side.
    expect(existsSync(join(dataDir, DATABASE_FILE))).toBe(false);
  });

  it('signs in and creates an API token with an authenticator code when the user has two-factor sign-in', async () => {
    const email = 'twofactor@example.com';
    await must(world.backend, 'users.create', { email, name: 'Tess', role: 'admin', password: PASSWORD });
    const session = tokenSession();
    await must(world.backend, 'session.signIn', { email, password: PASSWORD }, session);
    const { secret } = await must(world.backend, 'twoFactor.begin', {}, session);
    // Each use takes a code not used before: the third may wait for the authenticator's next 30 s.
    const code = unusedCodes(secret);
    await must(world.backend, 'twoFactor.confirm', { code: await code() }, session);

    const loginArgs = ['remote', 'login', server.url, '--email', email, '--password-stdin'];
    expect((await cli(loginArgs, `${PASSWORD}\n`)).err).toContain(
      'Enter the code from your authenticator app',
    );
    const signedIn = await cli([...loginArgs, '--totp-code', await code()], `${PASSWORD}\n`);
    expect(signedIn, signedIn.err).toMatchObject({ code: 0 });

    const create = [
      'token',
      'create',
      '--user',
      email,
      '--name',
      'ci',
      '--password-stdin',
      '--remote',
      server.url,
    ];
    const refused = await cli(create, `${PASSWORD}\n`);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('Enter the code from your authenticator app to create a token');
    const created = await cli([...create, '--totp-code', await code()], `${PASSWORD}\n`);
    expect(created, created.err).toMatchObject({ code: 0 });
    expect(created.out).toMatch(/^odk_\S+/);
    const users = await must(world.backend, 'users.list', { search: email });
    const tokens = await must(world.backend, 'tokens.list', { userId: users[0]?.id });
    expect(tokens.tokens.map((token) => token.name)).toEqual(['ci']);
  }, 60_000);

  it('remote status names the server, the user, whether it answers and both versions', async () => {
    await login();
    const status = await cli(['remote', 'status']);
    expect(status, status.err).toMatchObject({ code: 0 });
    expect(status.out).toMatch(
      new RegExp(
        `${server.url}\\s+owner@example.com\\s+yes\\s+server 0.0.0-test \\(contract v${CONTRACT_VERSION}\\)`,
      ),
    );

    await server.stop();
    try {
      const down = await cli(['remote', 'status', '--remote', server.url, '--json']);
      expect(down.code).toBe(1);
      expect(JSON.parse(down.out)).toEqual([
        expect.objectContaining({ server: server.url, reachable: 'no' }),
      ]);
      const offlineWrite = await cli(['org', 'create', '--name', 'Nope', '--remote', server.url]);
      expect(offlineWrite.code).toBe(1);
      expect(offlineWrite.err).toMatch(/UNAVAILABLE: Offline: .*not saved/);
    } finally {
      await server.start();
    }
  });

  it('refuses clearly: local-only commands, no sign-in, plain http off this computer, no keychain', async () => {
    const backup = await cli(['backup', '--out', join(dataDir, 'b.db'), '--remote', server.url]);
    expect(backup.code).toBe(2);
    expect(backup.err).toContain(
      "orgdeck backup works on this computer's data directory; it cannot run with --remote",
    );

    const notSignedIn = await cli(['org', 'list', '--remote', server.url]);
    expect(notSignedIn.code).toBe(1);
    expect(notSignedIn.err).toContain(`Not signed in to ${server.url}. Run \`orgdeck remote login`);

    const clear = await cli(['org', 'list', '--remote', 'http://orgdeck.example.com']);
    expect(clear.code).toBe(2);
    expect(clear.err).toMatch(/Use https:\/\/ for orgdeck.example.com/);

    const noKeychain = await cli(
      ['remote', 'login', server.url, '--email', 'owner@example.com', '--password-stdin'],
      PASSWORD,
      () => openKeychain(() => Promise.reject(new Error('libsecret-1.so.0: cannot open shared object file'))),
    );
    expect(noKeychain.code).toBe(1);
    expect(noKeychain.err).toMatch(
      /No keychain on this computer: .*libsecret.*never writes a session token to a file/,
    );
  });
});
