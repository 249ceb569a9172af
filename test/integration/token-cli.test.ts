import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, OWNER, openTestBackend, removeDir } from '../fixtures/backend';
import { runCliIn } from '../fixtures/cli';

let dataDir: string;

beforeEach(async () => {
  dataDir = makeTempDir('orgdeck-token-cli-');
  const init = await runCliIn(
    dataDir,
    ['init', '--owner-email', OWNER.ownerEmail, '--owner-name', OWNER.ownerName, '--password-stdin'],
    `${OWNER.password}\n`,
  );
  expect(init.code, init.err).toBe(0);
});

afterEach(() => removeDir(dataDir));

/** Calls orgs.list with a token through the router, as a Bearer request would. */
async function listOrgsWith(token: string) {
  const harness = openTestBackend({ dataDir });
  try {
    return await harness.call('orgs.list', {}, { token, setToken: () => {} });
  } finally {
    harness.backend.close();
  }
}

describe('orgdeck token', () => {
  it('creates a token that is printed once, lists it without the secret, and revokes it', async () => {
    const created = await runCliIn(dataDir, [
      'token',
      'create',
      '--user',
      OWNER.ownerEmail,
      '--name',
      'Nightly export',
      '--expires-days',
      '7',
    ]);
    expect(created.code, created.err).toBe(0);
    const secret = created.out.split('\n')[0] ?? '';
    expect(secret).toMatch(/^odk_[A-Za-z0-9_-]{43,}$/);
    expect(created.out).toMatch(/only time the token is shown/);
    expect(await listOrgsWith(secret)).toMatchObject({ ok: true });

    const listed = await runCliIn(dataDir, ['token', 'list']);
    expect(listed.out).toMatch(/Nightly export/);
    expect(listed.out).toContain(OWNER.ownerEmail);
    expect(listed.out).toContain(`${secret.slice(0, 10)}…`);
    expect(listed.out).not.toContain(secret.slice(10, 20));
    const [token] = JSON.parse(
      (await runCliIn(dataDir, ['token', 'list', '--user', OWNER.ownerEmail, '--json'])).out,
    );
    expect(token).toMatchObject({ name: 'Nightly export', status: 'active' });
    expect(Date.parse(token.expiresAt) - Date.parse(token.createdAt)).toBe(7 * 86_400_000);

    const revoked = await runCliIn(dataDir, ['token', 'revoke', token.id]);
    expect(revoked).toMatchObject({
      code: 0,
      out: expect.stringMatching(/Revoked API token “Nightly export”/),
    });
    expect(await listOrgsWith(secret)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('prints the secret in --json once, and defaults to 90 days', async () => {
    const created = await runCliIn(dataDir, [
      'token',
      'create',
      '--user',
      OWNER.ownerEmail,
      '--name',
      'CI',
      '--json',
    ]);
    const parsed = JSON.parse(created.out);
    expect(parsed.secret).toMatch(/^odk_/);
    expect(Date.parse(parsed.token.expiresAt) - Date.parse(parsed.token.createdAt)).toBe(90 * 86_400_000);
  });

  it.each([
    [['token', 'create', '--user', 'nobody@example.com', '--name', 'X'], 1, /No user with the email/],
    [
      ['token', 'create', '--user', OWNER.ownerEmail, '--name', 'X', '--expires-days', '400'],
      1,
      /at most 365 days/,
    ],
    [
      ['token', 'create', '--user', OWNER.ownerEmail, '--name', 'X', '--expires-days', 'soon'],
      2,
      /whole number/,
    ],
    [['token', 'create', '--user', OWNER.ownerEmail], 1, /name/i],
    [['token', 'revoke'], 2, /Name the token by its id/],
  ])('refuses %j and creates nothing', async (args, code, message) => {
    const result = await runCliIn(dataDir, args);
    expect(result.code).toBe(code);
    expect(result.err).toMatch(message);
    expect(JSON.parse((await runCliIn(dataDir, ['token', 'list', '--json'])).out)).toEqual([]);
  });
});
