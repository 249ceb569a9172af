import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { Db } from '../../electron/backend/store/engine';
import { type ChannelName, channelNames, contract } from '../../shared/contract';
import { MEMBERSHIP_ROLES, type MembershipRole, PAGES } from '../../shared/domain/permissions';
import { asEveryOrg, onPostgresProject } from '../fixtures/backend';
import {
  buildTenantWorld,
  must,
  ownerSession,
  PASSWORD,
  type TenantWorld,
  tokenSession,
} from '../fixtures/tenants';

type Who = 'owner' | 'admin' | 'billingAdmin' | 'bound' | 'multi' | 'everyClient' | 'unbound';
/** The console roles, who hold every org; everyone else is a `user` holding memberships. */
const CONSOLE: readonly Who[] = ['owner', 'admin', 'billingAdmin'];

/** The roles a drawn user holds: in A (bound), in A and B (multi), or in every client org. */
interface Holding {
  a: MembershipRole;
  b: MembershipRole;
}

/** A cost or margin figure, by its key in a reply: never for a membership role. */
const COST_OR_MARGIN = /"(cost|margin)[a-z_]*":/i;

/** The top-level field names a channel's input accepts (both sides of a union). */
function fieldsOf(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodUnion) return [...new Set((schema.options as z.ZodType[]).flatMap(fieldsOf))];
  return [];
}

/** The emails the audit trails of these orgs name (invites, joins, role changes, removals). */
function namedInTrails(db: Db, orgIds: string[]): Set<string> {
  const summaries = db
    .prepare<[string], string>(
      'SELECT summary FROM audit_events WHERE org_id IN (SELECT value FROM json_each(?))',
    )
    .pluck()
    .all(JSON.stringify(orgIds));
  return new Set(summaries.flatMap((summary) => summary.match(/[\w.+-]+@[\w.-]+/g) ?? []));
}

function rowsOutside(db: Db, orgIds: string[], withUnassigned: boolean) {
  const ids = JSON.stringify(orgIds);
  const inSet = 'IN (SELECT value FROM json_each(?))';
  return {
    orgs: db.prepare(`SELECT * FROM orgs WHERE id ${inSet} ORDER BY id`).all(ids),
    agents: db
      .prepare(`SELECT * FROM agents WHERE org_id ${inSet} OR (? = 1 AND org_id IS NULL) ORDER BY id`)
      .all(ids, withUnassigned ? 1 : 0) as { id: string; org_id: string | null }[],
    assignments: db.prepare(`SELECT * FROM agent_assignments WHERE org_id ${inSet} ORDER BY id`).all(ids),
    users: db
      .prepare(
        `SELECT u.*, m.org_id, m.role AS membership FROM users u JOIN memberships m ON m.user_id = u.id
         WHERE m.org_id ${inSet} ORDER BY u.id, m.org_id`,
      )
      .all(ids),
    knowledge: db.prepare(`SELECT * FROM knowledge_docs WHERE org_id ${inSet} ORDER BY id`).all(ids) as {
      id: string;
      title: string;
      body: string;
    }[],
    shares: db.prepare(`SELECT * FROM knowledge_shares WHERE org_id ${inSet} ORDER BY doc_id`).all(ids),
    tokens: db
      .prepare(
        `SELECT t.* FROM api_tokens t WHERE t.user_id IN (SELECT user_id FROM memberships WHERE org_id ${inSet})
         ORDER BY t.id`,
      )
      .all(ids) as { id: string; name: string; prefix: string }[],
  };
}

describe('tenant isolation over every channel', () => {
  let world: TenantWorld;
  /** Reads or writes the store directly, seeing every org, on either engine. */
  const inStore = <T>(work: (db: Db) => T) => asEveryOrg(world.backend, work);
  const tokens = new Map<Who, string | null>();
  const emails: Record<Exclude<Who, 'owner'>, string> = {
    admin: 'admin@example.com',
    billingAdmin: 'money@example.com',
    bound: 'user-a@example.com',
    multi: 'staff@example.com',
    everyClient: 'everyone@example.com',
    unbound: 'loner@example.com',
  };

  beforeAll(async () => {
    world = await buildTenantWorld();
    await must(world.backend, 'users.create', {
      email: emails.admin,
      name: 'Ada Admin',
      role: 'admin',
      password: PASSWORD,
    });
    await must(world.backend, 'users.create', {
      email: emails.billingAdmin,
      name: 'Bill Money',
      role: 'billing_admin',
      password: PASSWORD,
    });
    for (const [email, name] of [
      [emails.unbound, 'Lone User'],
      [emails.multi, 'Sam Staff'],
      [emails.everyClient, 'Eve Everyone'],
    ]) {
      await must(world.backend, 'users.create', { email, name, role: 'user', password: PASSWORD });
    }
    // Every client org's user holds an API token, so token calls have other tenants' tokens to reach for.
    for (const user of await must(world.backend, 'users.list', { search: 'user-' })) {
      await must(world.backend, 'tokens.create', { name: `${user.email} tokenname`, userId: user.id });
    }
  });

  afterAll(() => world.close());

  /** The orgs a drawn user holds, with the role in each. */
  function holdingsOf(who: Who, roles: Holding): Map<string, MembershipRole> {
    if (who === 'bound') return new Map([[world.orgs.a.id, roles.a]]);
    if (who === 'multi')
      return new Map([
        [world.orgs.a.id, roles.a],
        [world.orgs.b.id, roles.b],
      ]);
    if (who === 'everyClient') return new Map(Object.values(world.orgs).map((org) => [org.id, roles.a]));
    return new Map();
  }

  /** Puts the session's user back in its role with the given pages and memberships, signed in. */
  async function sessionFor(who: Who, pages: string[], roles: Holding = { a: 'member', b: 'member' }) {
    const email = who === 'owner' ? 'owner@example.com' : emails[who];
    if (!CONSOLE.includes(who)) {
      await inStore((db) => {
        db.prepare(
          "UPDATE users SET role = 'user', disabled = 0, pages = ?, all_client_orgs_role = ? WHERE email = ?",
        ).run(JSON.stringify(pages), who === 'everyClient' ? roles.a : null, email);
        db.prepare('DELETE FROM memberships WHERE user_id = (SELECT id FROM users WHERE email = ?)').run(
          email,
        );
        const held = who === 'everyClient' ? new Map<string, MembershipRole>() : holdingsOf(who, roles);
        for (const [orgId, role] of held) {
          db.prepare(
            `INSERT INTO memberships (user_id, org_id, role, created_at)
             SELECT id, ?, ?, '2026-01-01T00:00:00.000Z' FROM users WHERE email = ?`,
          ).run(orgId, role, email);
        }
        db.prepare('UPDATE orgs SET deleted_at = NULL WHERE id IN (?, ?)').run(
          world.orgs.a.id,
          world.orgs.b.id,
        );
      });
    }
    const session = tokenSession();
    session.token = tokens.get(who) ?? null;
    const current = session.token ? await world.backend.router.call('session.current', {}, session) : null;
    if (!current?.ok || !(current.data as { user: unknown }).user) {
      await must(world.backend, 'session.signIn', { email, password: PASSWORD }, session);
    }
    tokens.set(who, session.token);
    return session;
  }

  const everIn = (db: Db, agentId: string, orgIds: string[]) =>
    orgIds.length > 0 &&
    db
      .prepare(
        'SELECT 1 FROM agent_assignments WHERE agent_id = ? AND org_id IN (SELECT value FROM json_each(?))',
      )
      .get(agentId, JSON.stringify(orgIds)) !== undefined;

  it("shows a bound user an agent's history in their own org only", async () => {
    const session = await sessionFor('bound', ['agents']);
    const agent = await must(world.backend, 'agents.get', { handle: 'a-agent-2' }, session);
    expect(agent.history.map((stay) => stay.org.id)).toEqual([world.orgs.a.id, world.orgs.a.id]);
    expect(JSON.stringify(agent)).not.toContain(world.orgs.b.slug);
  });

  it('never returns a row of an org the session may not see, and never writes outside it', async () => {
    // A real backup, so backups.list has something to show and backups.restore something to name.
    // PostgreSQL is backed up with its own tools (pg_dump), so there its backup channels refuse every call.
    const backupNames = onPostgresProject() ? [] : [(await must(world.backend, 'backups.create', {})).name];
    const idsOf = (db: Db, table: string) => db.prepare(`SELECT id FROM ${table}`).pluck().all() as string[];
    const { allOrgIds, agentIds, docIds, userIds, tokenIds } = await inStore((db) => ({
      allOrgIds: idsOf(db, 'orgs'),
      agentIds: idsOf(db, 'agents'),
      docIds: idsOf(db, 'knowledge_docs'),
      userIds: idsOf(db, 'users'),
      tokenIds: idsOf(db, 'api_tokens'),
    }));
    /** The owner org's documents shared with any of the given client orgs, as the world now shares them. */
    const sharedWith = (db: Db, orgIds: readonly string[]) =>
      new Set(
        (
          db
            .prepare(
              `SELECT d.id FROM knowledge_docs d JOIN orgs o ON o.id = d.org_id WHERE o.is_owner = 1
               AND (d.shared_with_all = 1 OR d.id IN (SELECT doc_id FROM knowledge_shares WHERE org_id IN
                 (SELECT value FROM json_each(?))))`,
            )
            .all(JSON.stringify(orgIds)) as { id: string }[]
        ).map((row) => row.id),
      );
    // Each world shares the owner org's documents its own way: with every client, with chosen ones
    // (the caller's orgs among others, or not), or with none.
    const ownerDocIds = await inStore(
      (db) =>
        db
          .prepare('SELECT d.id FROM knowledge_docs d JOIN orgs o ON o.id = d.org_id WHERE o.is_owner = 1')
          .pluck()
          .all() as string[],
    );
    const clientOrgIds = Object.values(world.orgs).map((org) => org.id);
    const sharings = fc.tuple(
      ...ownerDocIds.map(() => fc.oneof(fc.constant('all' as const), fc.subarray(clientOrgIds))),
    );
    async function shareAs(sharing: ('all' | string[])[]): Promise<void> {
      for (const [i, id] of ownerDocIds.entries()) {
        const orgs = sharing[i] ?? [];
        await must(world.backend, 'knowledge.unshare', { id }, ownerSession());
        if (orgs === 'all' || orgs.length > 0)
          await must(world.backend, 'knowledge.share', { id, orgs }, ownerSession());
      }
    }
    const anyId = fc.constantFrom(
      ...allOrgIds,
      ...agentIds,
      ...userIds,
      ...docIds,
      ...tokenIds,
      randomUUID(),
    );
    // Naming the user's own orgs gets calls past the scope check, to what they return.
    const orgRef = fc.oneof(
      { weight: 3, arbitrary: fc.constant(world.orgs.a.id) },
      { weight: 1, arbitrary: fc.constant(world.orgs.b.id) },
      { weight: 2, arbitrary: anyId },
    );
    const values: Record<string, fc.Arbitrary<unknown>> = {
      id: anyId,
      orgId: orgRef,
      userId: anyId,
      boundOrgId: fc.option(anyId),
      memberships: fc.array(fc.record({ orgId: orgRef, role: fc.constantFrom(...MEMBERSHIP_ROLES) }), {
        maxLength: 2,
      }),
      allClientOrgs: fc.constant(true),
      allClientOrgsRole: fc.option(fc.constantFrom(...MEMBERSHIP_ROLES)),
      agentIds: fc.array(anyId, { minLength: 1, maxLength: 4 }),
      org: fc.oneof(anyId, fc.constant('unassigned')),
      slug: fc.constantFrom('alphaorg-zebra', 'betaorg-quokka', 'gammaorg-narwhal', 'platform', 'nope'),
      handle: fc.constantFrom(
        'a-agent-1',
        'a-agent-2',
        'b-agent-1',
        'c-agent-2',
        'loose-unassigned',
        'fresh-handle',
      ),
      name: fc.constantFrom('Renamed', ''),
      confirmName: fc.constantFrom('Alphaorg Zebra', 'Betaorg Quokka', 'Gammaorg Narwhal'),
      search: fc.constantFrom('', 'org', 'Betaorg', 'agent', 'a'),
      status: fc.constantFrom('current', 'active', 'inactive', 'deleted', 'paused', 'stopped_by_org'),
      email: fc.constantFrom(
        'new@example.com',
        'user-b@example.com',
        'user-a@example.com',
        'loner@example.com',
      ),
      password: fc.constant(PASSWORD),
      role: fc.constantFrom('owner', 'admin', 'billing_admin', 'user', ...MEMBERSHIP_ROLES),
      pages: fc.subarray([...PAGES]),
      move: fc.boolean(),
      rate: fc.constantFrom('10.00', null),
      page: fc.integer({ min: 1, max: 3 }),
      pageSize: fc.integer({ min: 1, max: 50 }),
      sort: fc.constantFrom('name', 'org', 'status'),
      query: fc.constantFrom(
        'bsecretword',
        'csecretword',
        'asecretword',
        'sharedbeta',
        'ownerprivate',
        'procedure',
      ),
      title: fc.constantFrom('New doc', ''),
      body: fc.constantFrom('Some text.'),
      tags: fc.constantFrom(['x'], []),
      month: fc.constantFrom('2026-11', '2026-10'),
      file: fc.constantFrom(...backupNames, 'orgdeck-daily-2020-01-01.db', '../orgdeck.db'),
      // Org export and import: a bound user exporting an org, or previewing and applying an archive.
      uploadId: anyId,
      importId: anyId,
      expiresInDays: fc.constantFrom(1, 90, 365, 0),
    };
    // Most fields present most of the time, so calls get past validation and reach the store;
    // a union input (by id or by handle) gets the fields of one of its shapes.
    const inputOf = (schema: z.ZodType): fc.Arbitrary<Record<string, unknown>> => {
      if (schema instanceof z.ZodUnion) return fc.oneof(...(schema.options as z.ZodType[]).map(inputOf));
      const fields = fieldsOf(schema).filter((field) => field in values);
      return fc
        .record(
          Object.fromEntries(
            fields.map((field) => [
              field,
              fc.option(values[field] as fc.Arbitrary<unknown>, { freq: 6, nil: undefined }),
            ]),
          ),
        )
        .map((input) => Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)));
    };
    const inputFor = (name: ChannelName) => inputOf(contract[name].input);
    const who = fc.constantFrom<Who>(
      'bound',
      'bound',
      'multi',
      'multi',
      'everyClient',
      'unbound',
      'admin',
      'owner',
      'billingAdmin',
    );
    const roles = fc.record({
      a: fc.constantFrom(...MEMBERSHIP_ROLES),
      b: fc.constantFrom(...MEMBERSHIP_ROLES),
    });
    // Signing in as someone else legitimately changes who the session is; every other channel is fair game.
    const call = fc
      .constantFrom(...channelNames.filter((name) => name !== 'session.signIn'))
      .chain((name) => fc.tuple(fc.constant(name), inputFor(name)));

    await fc.assert(
      fc.asyncProperty(
        who,
        roles,
        fc.subarray([...PAGES]),
        sharings,
        call,
        async (caller, held, pages, sharing, [name, input]) => {
          // Console roles see everything: only their reads are exercised, so the world stays put.
          if (CONSOLE.includes(caller) && contract[name].kind === 'write') return;
          await shareAs(sharing);
          const session = await sessionFor(caller, pages, held);
          const holdings = holdingsOf(caller, held);
          const visible = CONSOLE.includes(caller) ? allOrgIds : [...holdings.keys()];
          const outside = allOrgIds.filter((id) => !visible.includes(id));
          const seesUnassigned = CONSOLE.includes(caller);
          // Where the caller is a viewer or has the billing role, nothing of the org's may change.
          const readOnly = [...holdings]
            .filter(([, role]) => role === 'viewer' || role === 'billing')
            .map(([orgId]) => orgId);
          const { before, readOnlyBefore, forbidden } = await inStore((db) => {
            const before = rowsOutside(db, outside, !seesUnassigned);
            const visibleMembers = new Set(
              rowsOutside(db, visible, false).users.map((user) => (user as { email: string }).email),
            );
            // Whoever was invited to, joined or left a visible org is named in that org's own trail.
            for (const email of namedInTrails(db, visible)) visibleMembers.add(email);
            // What the owner org shares with an org the caller holds, they see; a console role sees it all anyway.
            const sharedWithCaller = CONSOLE.includes(caller) ? new Set<string>() : sharedWith(db, visible);
            const forbidden = [
              ...before.orgs.flatMap((org) => {
                const row = org as { id: string; slug: string; name: string; is_owner: number };
                // A client sees which org a document shared with it comes from: the owner org, and only that.
                if (row.is_owner === 1 && sharedWithCaller.size > 0) return [];
                return [row.id, row.slug, row.name];
              }),
              // An agent that ever worked for a visible org rightly shows in that org's history and billing.
              ...before.agents
                .filter((agent) => !everIn(db, agent.id, visible))
                .flatMap((agent) => [agent.id, (agent as unknown as { handle: string }).handle]),
              // A user who also holds a visible org rightly shows among that org's members.
              ...before.users
                .map((user) => (user as { email: string }).email)
                .filter((email) => !visibleMembers.has(email)),
              ...before.knowledge
                .filter((doc) => !sharedWithCaller.has(doc.id))
                .flatMap((doc) => [doc.id, doc.title, doc.body.split(' ')[1] as string]),
              // Token names come from the generator's few constants, so a caller's own may match: ids and prefixes identify.
              ...before.tokens.flatMap((token) => [token.id, token.prefix]),
            ];
            return { before, readOnlyBefore: rowsOutside(db, readOnly, false), forbidden };
          });

          const reply = JSON.stringify(await world.backend.router.call(name, input, session));

          // What the caller sent may come back (an agent created with another tenant's user's email
          // as its own): that is an echo, not a leak.
          const sent = JSON.stringify(input);
          for (const token of forbidden.filter((token) => !sent.includes(token)))
            expect(reply, `${caller} ${name} ${sent}`).not.toContain(token);
          const [after, readOnlyAfter] = await inStore((db) => [
            rowsOutside(db, outside, false),
            rowsOutside(db, readOnly, false),
          ]);
          expect(after.orgs).toEqual(before.orgs);
          expect(after.assignments).toEqual(before.assignments);
          expect(after.users).toEqual(before.users);
          expect(after.knowledge).toEqual(before.knowledge);
          expect(after.shares).toEqual(before.shares);
          expect(after.tokens).toEqual(before.tokens);
          const agentsBefore = new Map(before.agents.map((agent) => [agent.id, agent]));
          for (const agent of after.agents) expect(agentsBefore.get(agent.id)).toEqual(agent);

          const context = `${caller} ${JSON.stringify(held)} ${name} ${sent}`;
          expect(readOnlyAfter.orgs, context).toEqual(readOnlyBefore.orgs);
          expect(readOnlyAfter.agents, context).toEqual(readOnlyBefore.agents);
          expect(readOnlyAfter.assignments, context).toEqual(readOnlyBefore.assignments);
          expect(readOnlyAfter.knowledge, context).toEqual(readOnlyBefore.knowledge);
          expect(readOnlyAfter.shares, context).toEqual(readOnlyBefore.shares);
          if (!CONSOLE.includes(caller)) expect(reply, context).not.toMatch(COST_OR_MARGIN);
        },
      ),
      // 1,500 random calls take ~10 s on a quiet two-core machine with SQLite. On PostgreSQL each of
      // the ~130 statements a run takes (its call, setting up the world, the checks) is a round trip
      // to the server: 1,500 runs took ~1.5 min at load average 7, ~4.5 min at 13. There the
      // property's point is the database's own rules under the same calls, and 500 runs keep the
      // whole test run within CI's budget; SQLite's 1,500 explore the calls.
      { numRuns: onPostgresProject() ? 500 : 1500 },
    );
  }, 600_000);
});
