import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const CLI = resolve(import.meta.dirname, '../../bin/orgdeck.mjs');

export const OWNER = { email: 'owner@example.com', name: 'Olivia Owner', password: 'correct horse battery' };

export interface ConsoleServer {
  url: string;
  dataDir: string;
  /** The first-run setup code serve printed (on a store with no owner), else null. */
  setupCode: string | null;
  stop(): Promise<void>;
}

/** Runs the built CLI as a user would; returns its stdout, failing loudly on a non-zero exit. */
export function cli(dataDir: string, args: string[], stdin = ''): string {
  const result = spawnSync(process.execPath, [CLI, ...args, '--data-dir', dataDir], {
    input: stdin,
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`orgdeck ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

export interface Account {
  email: string;
  name: string;
  password: string;
}

/** Adds an account with the CLI: its role and, for a `user`, the org it is bound to and its pages. */
export function createUser(
  dataDir: string,
  account: Account,
  access: { role: 'owner' | 'admin' | 'billing_admin' | 'user'; org?: string; pages?: string },
): void {
  cli(
    dataDir,
    [
      'user',
      'create',
      '--email',
      account.email,
      '--name',
      account.name,
      '--role',
      access.role,
      ...(access.org ? ['--org', access.org] : []),
      ...(access.pages ? ['--pages', access.pages] : []),
      '--password-stdin',
    ],
    `${account.password}\n`,
  );
}

export function initOwner(dataDir: string): void {
  cli(
    dataDir,
    ['init', '--owner-email', OWNER.email, '--owner-name', OWNER.name, '--password-stdin'],
    `${OWNER.password}\n`,
  );
}

/** `orgdeck serve` on a free loopback port over `dataDir` (`args` may add --port, --remote), resolved once it listens. */
export function startConsole(dataDir: string, args: string[] = []): Promise<ConsoleServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    [CLI, 'serve', '--data-dir', dataDir, '--port', '0', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolveServer, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`orgdeck serve did not start:\n${output}`)), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (!match?.[1]) return;
      // Printed before the address, so it is here by now when the store has no owner.
      const code = /setup code: (\S+)/.exec(output);
      clearTimeout(timer);
      resolveServer({
        url: match[1],
        dataDir,
        setupCode: code?.[1] ?? null,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`orgdeck serve exited with ${code}:\n${output}`));
    });
  });
}
