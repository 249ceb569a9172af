import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../electron/backend/backend';
import { makeTempDir, OWNER, removeDir } from '../fixtures/backend';
import { runCliIn } from '../fixtures/cli';

let dataDir: string;
const cli = (...args: string[]) => runCliIn(dataDir, args);

beforeEach(async () => {
  dataDir = makeTempDir('orgdeck-audit-');
  const init = await runCliIn(
    dataDir,
    ['init', '--owner-email', OWNER.ownerEmail, '--owner-name', OWNER.ownerName, '--password-stdin'],
    OWNER.password,
  );
  expect(init.code, init.err).toBe(0);
  for (const name of ['Acme', 'Globex', 'Initech'])
    expect((await cli('org', 'create', '--name', name)).code).toBe(0);
  expect((await cli('org', 'deactivate', 'globex')).code).toBe(0);
});

afterEach(() => removeDir(dataDir));

/** Edits the store behind Orgdeck's back, as someone with the file could. */
function tamper(sql: string): void {
  const db = new Database(join(dataDir, DATABASE_FILE));
  db.prepare(sql).run();
  db.close();
}

describe('the audit chain', () => {
  it('verifies an untouched trail', async () => {
    const result = await cli('audit', 'verify');
    expect(result).toMatchObject({ code: 0 });
    expect(result.out).toContain('intact (6 entries)');
  });

  it.each([
    ['the actor', "UPDATE audit_events SET actor_label = 'mallory' WHERE id = 3"],
    ['the summary', `UPDATE audit_events SET summary = '{"after":{"name":"Other"}}' WHERE id = 3`],
    ['the time', "UPDATE audit_events SET at = '2020-01-01T00:00:00.000Z' WHERE id = 3"],
    ['the org', 'UPDATE audit_events SET org_id = NULL WHERE id = 3'],
    ['the action', "UPDATE audit_events SET action = 'org.updated' WHERE id = 3"],
  ])('fails at the entry whose %s was changed, and names it', async (_what, sql) => {
    tamper(sql);
    const result = await cli('audit', 'verify');
    expect(result.code).not.toBe(0);
    expect(result.err).toContain('Audit entry 3 fails');
  });

  it('fails at the entry after one that was removed', async () => {
    tamper('DELETE FROM audit_events WHERE id = 4');
    expect((await cli('audit', 'verify')).err).toContain('Audit entry 5 fails');
  });

  it('lists entries by org and action', async () => {
    const result = await cli('audit', 'list', '--org', 'globex', '--json');
    const actions = (JSON.parse(result.out) as { action: string }[]).map((entry) => entry.action);
    expect(actions).toEqual(['org.deactivated', 'org.created']);
  });
});

describe('backups', () => {
  it('restores a backup, keeping the current store aside, and records it', async () => {
    const backup = join(dataDir, 'backup.db');
    expect((await cli('backup', '--out', backup)).code).toBe(0);
    expect((await cli('org', 'create', '--name', 'After Backup')).code).toBe(0);

    const restored = await cli('restore', backup);
    expect(restored.code, restored.err).toBe(0);
    const slugs = (JSON.parse((await cli('org', 'list', '--json')).out) as { slug: string }[]).map(
      (org) => org.slug,
    );
    expect(slugs).not.toContain('after-backup');
    const aside = /kept at (\S+)\.$/.exec(restored.out)?.[1] ?? '';
    expect(existsSync(aside)).toBe(true);
    const log = JSON.parse((await cli('audit', 'list', '--json')).out) as { action: string }[];
    expect(log[0]?.action).toBe('backup.restored');
    expect((await cli('audit', 'verify')).code).toBe(0);
  });

  it('restores data, not access: a token revoked or a user disabled since stays so, and no session of the backup lives on', async () => {
    const created = await runCliIn(
      dataDir,
      ['user', 'create', '--email', 'ci@acme.test', '--name', 'CI', '--role', 'admin', '--password-stdin'],
      'correct horse battery',
    );
    expect(created.code, created.err).toBe(0);
    const token = JSON.parse(
      (await cli('token', 'create', '--user', 'ci@acme.test', '--name', 'deploy', '--json')).out,
    ) as { token: { id: string } };
    tamper(
      "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) SELECT 'signed-out', id, '2026-01-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z' FROM users WHERE email = 'ci@acme.test'",
    );
    const backup = join(dataDir, 'backup.db');
    expect((await cli('backup', '--out', backup)).code).toBe(0);
    tamper("DELETE FROM sessions WHERE token_hash = 'signed-out'");
    expect((await cli('token', 'revoke', token.token.id)).code).toBe(0);
    expect((await cli('user', 'disable', 'ci@acme.test')).code).toBe(0);

    const restored = await cli('restore', backup);
    expect(restored.code, restored.err).toBe(0);
    const users = JSON.parse((await cli('user', 'list', '--json')).out) as {
      email: string;
      disabled: boolean;
    }[];
    expect(users.find((user) => user.email === 'ci@acme.test')?.disabled).toBe(true);
    const tokens = JSON.parse((await cli('token', 'list', '--json')).out) as {
      id: string;
      revokedAt: string | null;
    }[];
    expect(tokens.find((row) => row.id === token.token.id)?.revokedAt).not.toBeNull();
    const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses to restore while the app or a server has the store open, changing nothing', async () => {
    const backup = join(dataDir, 'backup.db');
    expect((await cli('backup', '--out', backup)).code).toBe(0);
    expect((await cli('org', 'create', '--name', 'After Backup')).code).toBe(0);
    // What the desktop app or `orgdeck serve` keeps: a connection, idle between calls.
    const running = new Database(join(dataDir, DATABASE_FILE));
    running.prepare('SELECT count(*) FROM orgs').get();
    try {
      const refused = await cli('restore', backup);
      expect(refused.code).not.toBe(0);
      expect(refused.err).toContain('the store is open in the desktop app, orgdeck serve or another command');
      expect(running.prepare("SELECT count(*) AS n FROM orgs WHERE slug = 'after-backup'").get()).toEqual({
        n: 1,
      });
    } finally {
      running.close();
    }
    const restored = await cli('restore', backup);
    expect(restored.code, restored.err).toBe(0);
  });

  it('refuses a file that is not an intact Orgdeck store and changes nothing', async () => {
    const junk = join(dataDir, 'junk.db');
    writeFileSync(junk, 'not a database');
    const result = await cli('restore', junk);
    expect(result.code).not.toBe(0);
    expect(result.err).toContain('The current store is unchanged');
    expect((JSON.parse((await cli('org', 'list', '--json')).out) as unknown[]).length).toBe(4);
  });

  it('doctor reports a healthy store, then the broken audit chain with advice', async () => {
    expect((await cli('doctor')).code).toBe(0);
    tamper("UPDATE audit_events SET actor_label = 'mallory' WHERE id = 2");
    const result = await cli('doctor');
    expect(result.code).not.toBe(0);
    expect(result.out).toMatch(/FAIL {2}audit chain: entry 2/);
  });
});
