import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../shared/contract/envelope';
import { makeTempDir, OWNER, removeDir } from '../fixtures/backend';
import { buildCli, type ServeProcess, startServeProcess } from '../fixtures/built-cli';
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

const base64 = (text: string) => Buffer.from(text).toString('base64');

/** Stops a serve process and waits until it has gone (its connection, and any lock it held, with it). */
async function stop(server: ServeProcess): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

/** A webhook receiver that counts requests and holds each answer until `release` (204 then). */
async function holdingReceiver() {
  const held: ServerResponse<IncomingMessage>[] = [];
  const received: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push(body);
      held.push(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/orgdeck`,
    received,
    release: () => {
      for (const response of held.splice(0)) response.writeHead(204).end();
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ; ) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
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

  const startBoth = async () => {
    // One after the other: the first leads the periodic work.
    const first = await startServe(cliDir, dataDir, database);
    return [first, await startServe(cliDir, dataDir, database)] as const;
  };

  /** The owner's session cookie, signed in on `server`. */
  async function ownerCookie(server: ServeProcess): Promise<string> {
    const signIn = await post(server.url, 'session.signIn', {
      email: OWNER.ownerEmail,
      password: OWNER.password,
    });
    expect(signIn.envelope, server.stderr()).toMatchObject({ ok: true });
    return (signIn.cookie ?? '').split(';')[0] ?? '';
  }

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

  it('continues an upload begun on one server on the other, which imports it', async () => {
    const [a, b] = await startBoth();
    try {
      const cookie = await ownerCookie(a);
      const org = (await post(a.url, 'orgs.create', { name: 'Upload Co' }, cookie)).envelope as {
        data: { id: string };
      };
      const text = '# Runbook\n\nRestart the gateway, then check the queue.\n';
      const half = 12;
      const begun = await post(
        a.url,
        'uploads.begin',
        { fileName: 'runbook.md', size: Buffer.byteLength(text), purpose: 'knowledge' },
        cookie,
      );
      const { uploadId } = (begun.envelope as { data: { uploadId: string } }).data;
      expect(
        (
          await post(
            a.url,
            'uploads.chunk',
            { uploadId, offset: 0, data: base64(text.slice(0, half)) },
            cookie,
          )
        ).envelope,
      ).toMatchObject({ ok: true, data: { received: half } });
      // The other server knows how far the upload got: a chunk sent again is refused there.
      expect(
        (
          await post(
            b.url,
            'uploads.chunk',
            { uploadId, offset: 0, data: base64(text.slice(0, half)) },
            cookie,
          )
        ).envelope,
      ).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { received: half } } });
      // An empty chunk is refused: kept, it would hold the offset the real chunk then needs.
      expect(
        (await post(b.url, 'uploads.chunk', { uploadId, offset: half, data: '' }, cookie)).envelope,
      ).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      expect(
        (
          await post(
            b.url,
            'uploads.chunk',
            { uploadId, offset: half, data: base64(text.slice(half)) },
            cookie,
          )
        ).envelope,
      ).toMatchObject({ ok: true, data: { received: Buffer.byteLength(text) } });
      const imported = await post(b.url, 'knowledge.importFile', { orgId: org.data.id, uploadId }, cookie);
      expect(imported.envelope, b.stderr()).toMatchObject({
        ok: true,
        data: { sourceName: 'runbook.md' },
      });
      // Taken once: the first server finds it gone.
      expect(
        (await post(a.url, 'knowledge.importFile', { orgId: org.data.id, uploadId }, cookie)).envelope,
      ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    } finally {
      await Promise.all([stop(a), stop(b)]);
    }
  }, 120_000);

  it('sends a webhook delivery once, though a server starting meanwhile finds it due', async () => {
    const hook = await holdingReceiver();
    const owner = new pg.Client({ connectionString: cluster.url(OWNER_ROLE, 'team') });
    await owner.connect();
    let [leader, other] = await startBoth();
    try {
      const cookie = await ownerCookie(other);
      const set = await post(
        other.url,
        'alerts.setWebhook',
        { url: hook.url, secret: 'a-long-shared-secret-for-tests' },
        cookie,
      );
      expect(set.envelope).toMatchObject({ ok: true });
      const org = (await post(other.url, 'orgs.create', { name: 'Alerted Co' }, cookie)).envelope as {
        data: { id: string };
      };
      // An alert left open for an org that has no budget: the next check resolves it and queues
      // the event for the webhook.
      await owner.query('BEGIN');
      await owner.query("SELECT set_config('orgdeck.org_ids', $1, true)", [org.data.id]);
      await owner.query(
        `INSERT INTO budget_alerts (org_id, month, threshold, kind, budget_use, raised_at)
         VALUES ($1, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM'), 80, 'actual', '0.9', '2026-01-01T00:00:00.000Z')`,
        [org.data.id],
      );
      await owner.query('COMMIT');
      expect((await post(other.url, 'alerts.check', {}, cookie)).envelope).toMatchObject({
        ok: true,
        data: { resolved: 1 },
      });
      await until(
        async () => hook.received.length,
        (count) => count === 1,
      );
      // While that delivery is being sent, the leader restarts: its first round finds the
      // delivery due (it is still pending) and would send it again unless it was claimed.
      await stop(leader);
      leader = await startServe(cliDir, dataDir, database);
      await until(
        async () =>
          (
            await owner.query(
              "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted",
            )
          ).rows[0]?.n as number,
        (locks) => locks === 1,
      );
      await new Promise((resolve) => setTimeout(resolve, 1500));
      hook.release();
      const deliveries = await until(
        async () =>
          (
            (await post(leader.url, 'alerts.deliveries', {}, cookie)).envelope as {
              data: { status: string; attempts: number }[];
            }
          ).data,
        (rows) => rows.every((row) => row.status !== 'pending'),
      );
      expect(deliveries.map((row) => [row.status, row.attempts])).toEqual([['delivered', 1]]);
      hook.release();
      expect(hook.received).toHaveLength(1);
    } finally {
      await Promise.all([stop(leader), stop(other)]);
      await owner.end();
      await hook.close();
    }
  }, 120_000);

  // Last: it slows the owner's sign-ins from this address down.
  it('counts failed sign-ins on both servers together', async () => {
    const [a, b] = await startBoth();
    try {
      // Five wrong passwords, alternating: three on one server, two on the other.
      for (let attempt = 0; attempt < 5; attempt++) {
        const server = attempt % 2 === 0 ? a : b;
        const wrong = await post(server.url, 'session.signIn', {
          email: OWNER.ownerEmail,
          password: `wrong ${attempt}`,
        });
        expect(wrong.envelope).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
      }
      // Each server saw fewer than the five free failures, yet the right password is slowed on both.
      for (const server of [b, a]) {
        const slowed = await post(server.url, 'session.signIn', {
          email: OWNER.ownerEmail,
          password: OWNER.password,
        });
        expect(slowed.envelope).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
      }
    } finally {
      await Promise.all([stop(a), stop(b)]);
    }
  }, 120_000);
});
