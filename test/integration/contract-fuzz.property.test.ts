import { createHash, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod';
import type { CallSession } from '../../electron/backend/router/handler';
import type { SqliteDb } from '../../electron/backend/store/database';
import { type ChannelName, channelNames, contract } from '../../shared/contract';
import type { ErrorCode } from '../../shared/contract/envelope';
import { PAGES } from '../../shared/domain/permissions';
import { sqliteOfBackend } from '../fixtures/backend';
import { buildTenantWorld, must, PASSWORD, type TenantWorld, tokenSession } from '../fixtures/tenants';

// Bad input, derived from each channel's own input schema, for every kind of caller: it is refused
// with a code a client can act on, and nothing in the store changes.
// `bound` is a member of org A; `manager` runs A; `viewer` views A and holds C's billing role.
type Caller = 'owner' | 'admin' | 'billingAdmin' | 'unbound' | 'bound' | 'manager' | 'viewer' | 'anonymous';
const CALLERS: Caller[] = [
  'owner',
  'admin',
  'billingAdmin',
  'unbound',
  'bound',
  'manager',
  'viewer',
  'anonymous',
];
/** The callers who hold some client orgs and not others. */
const CLIENTS = ['bound', 'unbound', 'manager', 'viewer'] as const;
/** Bad inputs tried per channel and caller. */
const SAMPLES = 4;

// biome-ignore lint/suspicious/noExplicitAny: zod's internal definition differs per schema kind.
type Def = any;
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** A value of the schema's shape where one is easy to make (the details may still be wrong). */
function plausible(schema: z.ZodType): unknown {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
    case 'catch':
      return plausible(def.innerType);
    case 'pipe':
      return plausible(def.in);
    case 'string':
      return 'x';
    case 'number':
      return 1;
    case 'boolean':
      return false;
    case 'enum':
      return Object.values(def.entries)[0];
    case 'literal':
      return def.values[0];
    case 'array':
      return [plausible(def.element)];
    case 'object':
      // Optional fields left out, so more inputs are well formed but for the one thing made wrong.
      return Object.fromEntries(
        Object.entries(def.shape as Record<string, z.ZodType>)
          .filter(([, field]) => !['optional', 'default'].includes(defOf(field).type))
          .map(([key, field]) => [key, plausible(field)]),
      );
    case 'union':
      return plausible(def.options[0]);
    default:
      return undefined;
  }
}

/** The innermost kind of a field's schema, past optional, default and pipes. */
function kindOf(schema: z.ZodType): string {
  const def = defOf(schema);
  if (['optional', 'nullable', 'default', 'readonly', 'catch'].includes(def.type))
    return kindOf(def.innerType);
  if (def.type === 'pipe') return kindOf(def.in);
  return def.type;
}

const LONG = 'x'.repeat(200_000);
/** Values a field of each kind must not take. */
const BAD_VALUES: Record<string, fc.Arbitrary<unknown>> = {
  // Dates out of range are bad for date fields only; elsewhere the input is well formed and skipped.
  string: fc.constantFrom(
    LONG,
    12345,
    null,
    {},
    ['a'],
    true,
    '0000-01',
    '0001-01-01T00:00:00Z',
    '2101-01-01',
  ),
  number: fc.constantFrom(-1, -1e9, 1e15, 0.5, 2 ** 53 + 2, '1', null, [], 1e308),
  boolean: fc.constantFrom('true', 1, null, {}),
  enum: fc.constantFrom('not-an-option', 7, null),
  literal: fc.constantFrom('not-it', 0, {}),
  array: fc.constantFrom(
    'not-an-array',
    [null],
    Array.from({ length: 5000 }, () => 'x'),
    {},
  ),
  object: fc.constantFrom('not-an-object', [], 3),
  union: fc.constantFrom(null, 3.5, LONG, [[]]),
};
const ANY_BAD = fc.constantFrom(LONG, -1, null, {}, [], true);

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | null {
  const def = defOf(schema);
  if (def.type === 'object') return def.shape;
  if (def.type === 'union') return objectShape(def.options[0]);
  if (def.type === 'pipe') return objectShape(def.in);
  return null;
}

/** Inputs built from the schema with one thing wrong: a field's type or range, an unknown key, the whole shape. */
function badInputs(schema: z.ZodType): fc.Arbitrary<unknown> {
  const shape = objectShape(schema) ?? {};
  const base = plausible(schema);
  const fields = Object.keys(shape);
  const withBase = (patch: Record<string, unknown>) => ({ ...(base as object), ...patch });
  const options: fc.Arbitrary<unknown>[] = [
    fc.constantFrom('a string', 42, [], true),
    fc.string({ minLength: 1, maxLength: 12 }).map((key) => withBase({ [`zz${key}`]: 1 })),
  ];
  if (fields.length > 0) {
    options.push(
      fc
        .constantFrom(...fields)
        .chain((field) =>
          (BAD_VALUES[kindOf(shape[field] as z.ZodType)] ?? ANY_BAD).map((value) =>
            withBase({ [field]: value }),
          ),
        ),
    );
  }
  return fc.oneof(...options);
}

/** Every table's content, hashed: sessions aside (signing in is how the callers were made). */
function fingerprint(db: SqliteDb): Record<string, string> {
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' AND name <> 'sessions' ORDER BY name",
    )
    .all() as { name: string }[];
  return Object.fromEntries(
    tables.map(({ name }) => {
      const rows = db.prepare(`SELECT * FROM "${name}"`).all();
      const json = JSON.stringify(rows, (_key, value) =>
        Buffer.isBuffer(value) ? value.toString('hex') : value,
      );
      return [name, createHash('sha256').update(json).digest('hex')];
    }),
  );
}

describe('bad input to every channel, from every caller', () => {
  let world: TenantWorld;
  let db: SqliteDb;
  const sessions = new Map<Caller, CallSession>();
  /** Ids of org B's rows: what a bound user of org A reaches for. */
  let otherOrg: Record<string, unknown>;

  beforeAll(async () => {
    world = await buildTenantWorld();
    db = sqliteOfBackend(world.backend);
    await must(world.backend, 'users.create', {
      email: 'admin@example.com',
      name: 'Ada',
      role: 'admin',
      password: PASSWORD,
    });
    await must(world.backend, 'users.create', {
      email: 'loner@example.com',
      name: 'Lone User',
      role: 'user',
      pages: [...PAGES],
      password: PASSWORD,
    });
    await must(world.backend, 'users.create', {
      email: 'money@example.com',
      name: 'Bill Admin',
      role: 'billing_admin',
      password: PASSWORD,
    });
    for (const email of ['manager@example.com', 'viewer@example.com']) {
      await must(world.backend, 'users.create', {
        email,
        name: email,
        role: 'user',
        pages: [...PAGES],
        password: PASSWORD,
      });
    }
    const a = world.orgs.a.id;
    await must(world.backend, 'members.put', { email: 'manager@example.com', orgId: a, role: 'manager' });
    await must(world.backend, 'members.put', { email: 'viewer@example.com', orgId: a, role: 'viewer' });
    await must(world.backend, 'members.put', {
      email: 'viewer@example.com',
      orgId: world.orgs.c.id,
      role: 'billing',
    });
    const userA = (await must(world.backend, 'users.list', { search: 'user-a@' }))[0];
    await must(world.backend, 'users.update', { id: userA?.id, pages: [...PAGES] });
    const emails: Record<Exclude<Caller, 'anonymous'>, string> = {
      owner: 'owner@example.com',
      admin: 'admin@example.com',
      billingAdmin: 'money@example.com',
      unbound: 'loner@example.com',
      bound: 'user-a@example.com',
      manager: 'manager@example.com',
      viewer: 'viewer@example.com',
    };
    for (const [caller, email] of Object.entries(emails)) {
      const session = tokenSession();
      await must(world.backend, 'session.signIn', { email, password: PASSWORD }, session);
      sessions.set(caller as Caller, session);
    }
    sessions.set('anonymous', tokenSession());

    const userB = (await must(world.backend, 'users.list', { search: 'user-b@' }))[0]?.id;
    const agentB = (await must(world.backend, 'agents.list', { org: world.orgs.b.id })).items[0]?.id;
    const docB = (await must(world.backend, 'knowledge.list', { orgId: world.orgs.b.id })).own[0]?.id;
    const tokenB = (await must(world.backend, 'tokens.create', { name: 'b token', userId: userB })).token.id;
    otherOrg = {
      orgId: world.orgs.b.id,
      org: world.orgs.b.id,
      boundOrgId: world.orgs.b.id,
      userId: userB,
      agentId: agentB,
      agentIds: [agentB],
      id: [world.orgs.b.id, userB, agentB, docB, tokenB],
      uploadId: randomUUID(),
      importId: randomUUID(),
    };
  });
  afterAll(() => world.close());

  const allowed = (caller: Caller): ErrorCode[] =>
    caller === 'anonymous' ? ['UNAUTHENTICATED', 'VALIDATION'] : ['VALIDATION', 'NOT_FOUND', 'FORBIDDEN'];

  it('is refused with VALIDATION, NOT_FOUND or FORBIDDEN (UNAUTHENTICATED when signed out), and writes nothing', async () => {
    let calls = 0;
    for (const name of channelNames) {
      const inputs = fc.sample(badInputs(contract[name].input), { numRuns: SAMPLES, seed: name.length });
      for (const caller of CALLERS) {
        for (const input of inputs) {
          if (contract[name].input.safeParse(input).success) continue;
          await expectRefused(name, caller, input);
          calls++;
        }
      }
    }
    expect(calls).toBeGreaterThan(channelNames.length * CALLERS.length * 2);
  }, 180_000);

  it("is refused when a client's well-formed input names another org's rows, and writes nothing", async () => {
    const wellFormed = new Set<string>();
    for (const name of channelNames) {
      const shape = objectShape(contract[name].input);
      if (!shape || name === 'session.signIn') continue;
      const fields = Object.keys(shape).filter((field) => field in otherOrg);
      if (fields.length === 0) continue;
      for (const caller of CLIENTS) {
        const ids = otherOrg.id as string[];
        for (const id of ids) {
          const input = {
            ...(plausible(contract[name].input) as object),
            ...Object.fromEntries(fields.map((field) => [field, field === 'id' ? id : otherOrg[field]])),
          };
          if (contract[name].input.safeParse(input).success) wellFormed.add(name);
          await expectRefused(name, caller, input);
        }
      }
    }
    // Most channels that take an id are reached past validation, to the scope and row checks.
    expect(wellFormed.size).toBeGreaterThan(40);
  }, 180_000);

  /**
   * The store as the last refused call left it: every call here must write nothing, so it is the
   * next call's "before" too (hashing every table is most of this file's time).
   */
  let unchanged: Record<string, string> | undefined;

  async function expectRefused(name: ChannelName, caller: Caller, input: unknown): Promise<void> {
    const before = unchanged ?? fingerprint(db);
    // Kept again only once this call is shown to have written nothing: a failure hashes afresh.
    unchanged = undefined;
    const envelope = await world.backend.router.call(name, input, sessions.get(caller) as CallSession);
    const what = `${caller} ${name} ${JSON.stringify(input).slice(0, 200)}`;
    expect(envelope.ok, what).toBe(false);
    if (!envelope.ok)
      expect(allowed(caller), `${what}: ${envelope.error.code} ${envelope.error.message}`).toContain(
        envelope.error.code,
      );
    const after = fingerprint(db);
    expect(after, what).toEqual(before);
    unchanged = after;
  }
});
