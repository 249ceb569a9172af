import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Org } from '../../shared/contract/orgs';
import {
  asEveryOrg,
  FakeClock,
  localOwnerSession,
  newSession,
  OWNER,
  onPostgresProject,
  openTestBackend,
  setUpOwner,
  type TestBackend,
  type TestSession,
} from '../fixtures/backend';

const DAY = 86_400_000;
const PASSWORD = 'a long enough password';

let clock: FakeClock;
let harness: TestBackend;
let owner: TestSession;
let acme: Org;

async function signedIn(email: string): Promise<TestSession> {
  const session = newSession();
  await harness.data('session.signIn', { email, password: PASSWORD }, session);
  return session;
}

const emails = async () =>
  (await harness.data('users.list', {}, localOwnerSession())).map((user) => user.email).sort();

beforeEach(async () => {
  clock = new FakeClock();
  harness = openTestBackend({ clock });
  owner = await setUpOwner(harness);
  acme = await harness.data('orgs.create', { name: 'Acme' }, owner);
  for (const [email, role] of [
    ['member@example.com', 'user'],
    ['admin@example.com', 'admin'],
  ] as const) {
    await harness.data(
      'users.create',
      { email, name: role, role, boundOrgId: acme.id, password: PASSWORD },
      owner,
    );
  }
});

afterEach(() => harness.cleanup());

describe('deleting and purging an org', () => {
  it('signs out the users bound to it, and removes them when it is purged after 30 days', async () => {
    const member = await signedIn('member@example.com');
    await harness.data(
      'knowledge.add',
      { orgId: acme.id, title: 'Runbook', body: 'Acme’s own words.' },
      owner,
    );
    await harness.data('orgs.delete', { id: acme.id, confirmName: 'Acme' }, owner);
    await expect(harness.call('orgs.list', {}, member)).resolves.toMatchObject({
      error: { code: 'UNAUTHENTICATED' },
    });

    clock.advance(29 * DAY);
    harness.reopen();
    expect(await emails()).toContain('member@example.com');

    clock.advance(2 * DAY);
    harness.reopen();
    expect(await emails()).not.toContain('member@example.com');
    // Its documents' text goes too: SQLite's search index holds a copy no foreign key removes.
    if (!onPostgresProject())
      expect(
        await asEveryOrg(harness.backend, (db) =>
          db.prepare('SELECT count(*) FROM knowledge_fts').pluck().get(),
        ),
      ).toBe(0);
    await expect(harness.data('orgs.list', { status: 'deleted' }, localOwnerSession())).resolves.toEqual([]);

    // The org's history stays in the trail, and the trail's chain stays whole, on either engine.
    await harness.data('orgs.create', { name: 'After' }, localOwnerSession());
    const trail = await harness.data('audit.list', { action: 'org', pageSize: 500 }, localOwnerSession());
    expect(trail.items.filter((entry) => entry.orgId === acme.id).map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['org.created', 'org.deleted', 'org.purged']),
    );
    // Its users' removal is recorded as any deletion is (a restore of an older backup reads it).
    const removed = await harness.data('audit.list', { action: 'user.deleted' }, localOwnerSession());
    expect(removed.items.map((entry) => [entry.actor, entry.summary])).toEqual([
      ['system', { before: { email: 'member@example.com' }, after: { purgedWithOrg: acme.id } }],
    ]);
    await expect(harness.data('audit.verify', {}, localOwnerSession())).resolves.toMatchObject({
      intact: true,
    });
  });

  it('keeps owners and admins whose binding pointed at it, signed in, and set up', async () => {
    // A binding limits only a `user`; an owner or admin may still carry one.
    const me = await harness.data('session.current', {}, owner);
    await harness.data('users.update', { id: me.user?.id, boundOrgId: acme.id }, owner);
    const admin = await signedIn('admin@example.com');

    await harness.data('orgs.delete', { id: acme.id, confirmName: 'Acme' }, owner);
    await expect(harness.call('orgs.list', {}, admin)).resolves.toMatchObject({ ok: true });
    await expect(harness.call('orgs.list', {}, owner)).resolves.toMatchObject({ ok: true });

    clock.advance(31 * DAY);
    harness.reopen();
    expect(await emails()).toEqual(['admin@example.com', OWNER.ownerEmail]);
    await expect(harness.data('session.current', {})).resolves.toMatchObject({ needsSetup: false });
    await expect(
      harness.call('setup.init', { ...OWNER, ownerEmail: 'intruder@example.com' }, newSession()),
    ).resolves.toMatchObject({ error: { code: 'CONFLICT' } });
  });
});
