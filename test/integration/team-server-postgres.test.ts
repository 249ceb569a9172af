import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../shared/contract/envelope';
import { makeTempDir, OWNER, removeDir } from '../fixtures/backend';
import { buildCli, startServeProcess } from '../fixtures/built-cli';
import {
  OWNER_ROLE,
  type PostgresCluster,
  SERVER_ROLE,
  SKIP_WITHOUT_POSTGRES,
  startPostgresCluster,
} from '../fixtures/postgres-cluster';

const WRITES = 200;

/** The built CLI, as a deployment runs it: `orgdeck migrate`, `init`, `serve` and `audit verify`. */
function orgdeck(cliDir: string, args: string[], stdin = '') {
  return spawnSync(process.execPath, [join(cliDir, 'orgdeck.mjs'), ...args], {
    input: stdin,
    encoding: 'utf8',
  });
}

const startServe = (cliDir: string, dataDir: string, database: string) =>
  startServeProcess(cliDir, ['--data-dir', dataDir, '--database', database]);

async function post(url: string, channel: string, body: unknown, cookie = '') {
  const response = await fetch(`${url}/api/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: cookie },
    body: JSON.stringify(body),
  });
  return {
    cookie: response.headers.get('set-cookie'),
    envelope: (await response.json()) as Envelope<unknown>,
  };
}

describe.skipIf(SKIP_WITHOUT_POSTGRES)('two orgdeck serve processes on one PostgreSQL database', () => {
  let cluster: PostgresCluster;
  let cliDir: string;
  let dataDir: string;
  let database: string;

  beforeAll(async () => {
    cliDir = buildCli('pg-cli');
    cluster = await startPostgresCluster();
    await cluster.createDatabase('team');
    const migrated = orgdeck(cliDir, ['migrate', '--database', cluster.url(OWNER_ROLE, 'team')]);
    expect(migrated.status, migrated.stderr).toBe(0);
    database = cluster.url(SERVER_ROLE, 'team');
    dataDir = makeTempDir('orgdeck-pg-team-');
    const init = orgdeck(
      cliDir,
      [
        'init',
        '--database',
        database,
        '--data-dir',
        dataDir,
        '--owner-email',
        OWNER.ownerEmail,
        '--owner-name',
        OWNER.ownerName,
        '--password-stdin',
      ],
      OWNER.password,
    );
    expect(init.status, init.stderr).toBe(0);
  }, 180_000);

  afterAll(() => {
    cluster?.stop();
    removeDir(dataDir);
    rmSync(cliDir, { recursive: true, force: true });
  });

  it('shares sessions, and 200 concurrent audited writes split across both leave the audit chain intact', async () => {
    const [a, b] = await Promise.all([
      startServe(cliDir, dataDir, database),
      startServe(cliDir, dataDir, database),
    ]);
    try {
      const signIn = await post(a.url, 'session.signIn', {
        email: OWNER.ownerEmail,
        password: OWNER.password,
      });
      expect(signIn.envelope, a.stderr()).toMatchObject({ ok: true });
      const cookie = (signIn.cookie ?? '').split(';')[0] ?? '';
      // Signed in on one server, known on the other.
      expect((await post(b.url, 'session.current', {}, cookie)).envelope).toMatchObject({
        ok: true,
        data: { user: { email: OWNER.ownerEmail } },
      });

      const created = await Promise.all(
        Array.from({ length: WRITES }, (_, i) =>
          post(i % 2 === 0 ? a.url : b.url, 'orgs.create', { name: `Client ${i}` }, cookie),
        ),
      );
      expect(created.filter((answer) => !answer.envelope.ok)).toEqual([]);
      const listed = await post(b.url, 'orgs.list', {}, cookie);
      expect((listed.envelope as { data: unknown[] }).data).toHaveLength(WRITES + 1);
    } finally {
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
    }
    const verify = orgdeck(cliDir, [
      'audit',
      'verify',
      '--json',
      '--database',
      database,
      '--data-dir',
      dataDir,
    ]);
    expect(verify.status, verify.stderr).toBe(0);
    const result = JSON.parse(verify.stdout) as { intact: boolean; entries: number };
    // setup, sign-in, and one entry per org created.
    expect(result.intact).toBe(true);
    expect(result.entries).toBeGreaterThanOrEqual(WRITES + 2);
  }, 180_000);
});
