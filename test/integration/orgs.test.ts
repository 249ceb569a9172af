import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FakeClock,
  openTestBackend,
  setUpOwner,
  type TestBackend,
  type TestSession,
} from '../fixtures/backend';

let clock: FakeClock;
let harness: TestBackend;
let owner: TestSession;

beforeEach(async () => {
  clock = new FakeClock();
  harness = openTestBackend({ clock });
  owner = await setUpOwner(harness);
});

afterEach(() => harness.cleanup());

const create = (input: Record<string, unknown>) => harness.call('orgs.create', input, owner);
const names = async (search?: string) =>
  (await harness.data('orgs.list', search === undefined ? {} : { search }, owner)).map((org) => org.name);

describe('orgs.create', () => {
  it('suggests the slug from the name and fills in defaults', async () => {
    await expect(create({ name: 'Acme Café, Inc.' })).resolves.toMatchObject({
      ok: true,
      data: { name: 'Acme Café, Inc.', slug: 'acme-cafe-inc', isOwner: false, rate: '0.00', timezone: 'UTC' },
    });
  });

  it('keeps an explicit slug and trims the name', async () => {
    await expect(create({ name: '  Acme Europe  ', slug: 'acme-eu' })).resolves.toMatchObject({
      ok: true,
      data: { name: 'Acme Europe', slug: 'acme-eu' },
    });
  });

  it('answers the rate with two decimals', async () => {
    await expect(create({ name: 'Forty', rate: '40' })).resolves.toMatchObject({ data: { rate: '40.00' } });
    await expect(create({ name: 'Twelve', rate: '12.5' })).resolves.toMatchObject({
      data: { rate: '12.50' },
    });
    await expect(create({ name: 'Fraction', rate: '40.001' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { issues: [{ path: ['rate'] }] } },
    });
    await expect(create({ name: 'Negative', rate: '-1' })).resolves.toMatchObject({
      error: { code: 'VALIDATION' },
    });
  });

  it('accepts IANA time zones and refuses others', async () => {
    await expect(create({ name: 'Berlin', timezone: 'Europe/Berlin' })).resolves.toMatchObject({
      data: { timezone: 'Europe/Berlin' },
    });
    await expect(create({ name: 'Mars', timezone: 'Mars/Olympus_Mons' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { issues: [{ path: ['timezone'] }] } },
    });
    expect(await names()).not.toContain('Mars');
  });

  it('asks for a slug when the name has no letters or digits', async () => {
    const envelope = await create({ name: '!!!' });
    expect(envelope).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { issues: [{ path: ['slug'] }] } },
    });
    await expect(create({ name: '!!!', slug: 'bangs' })).resolves.toMatchObject({ ok: true });
  });

  it('refuses a slug already taken with CONFLICT naming the org that holds it', async () => {
    await create({ name: 'Acme Corporation', slug: 'acme' });
    const explicit = await create({ name: 'Another', slug: 'acme' });
    expect(explicit).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (!explicit.ok) expect(explicit.error.message).toContain('Acme Corporation');
    // A suggested slug collides the same way.
    await expect(create({ name: 'ACME' })).resolves.toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    // The owner org's slug is taken too.
    await expect(create({ name: 'Platform' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(await names()).toEqual(['Platform', 'Acme Corporation']);
  });
});

describe('orgs.rename', () => {
  it('changes the name and updatedAt but keeps the slug', async () => {
    const created = await harness.data('orgs.create', { name: 'Acme' }, owner);
    clock.advance(60_000);
    const renamed = await harness.data('orgs.rename', { id: created.id, name: 'Acme Holdings' }, owner);
    expect(renamed).toMatchObject({ id: created.id, name: 'Acme Holdings', slug: 'acme' });
    expect(renamed.createdAt).toBe(created.createdAt);
    expect(Date.parse(renamed.updatedAt)).toBe(Date.parse(created.updatedAt) + 60_000);
    expect(await names()).toEqual(['Platform', 'Acme Holdings']);
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    await expect(
      harness.call('orgs.rename', { id: randomUUID(), name: 'Ghost' }, owner),
    ).resolves.toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('refuses an empty name', async () => {
    const created = await harness.data('orgs.create', { name: 'Acme' }, owner);
    await expect(harness.call('orgs.rename', { id: created.id, name: '   ' }, owner)).resolves.toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(await names()).toContain('Acme');
  });
});

describe('orgs.list', () => {
  beforeEach(async () => {
    await create({ name: 'Globex', slug: 'gx-corp' });
    await create({ name: 'Acme' });
    await create({ name: '100% Pure' });
    await create({ name: 'Under_score' });
    await create({ name: 'Underscore Inc' });
  });

  it('lists the owner org first, then by name', async () => {
    expect(await names()).toEqual([
      'Platform',
      '100% Pure',
      'Acme',
      'Globex',
      'Under_score',
      'Underscore Inc',
    ]);
  });

  it('searches names and slugs, ignoring case', async () => {
    expect(await names('acme')).toEqual(['Acme']);
    expect(await names('GX-')).toEqual(['Globex']);
    expect(await names('  acme  ')).toEqual(['Acme']);
    expect(await names('nothing like this')).toEqual([]);
  });

  it('treats % and _ as plain characters', async () => {
    expect(await names('%')).toEqual(['100% Pure']);
    expect(await names('der_')).toEqual(['Under_score']);
    expect(await names('_')).toEqual(['Under_score']);
    expect(await names('\\')).toEqual([]);
  });
});

it('keeps created orgs after the backend is closed and opened again', async () => {
  const created = await harness.data(
    'orgs.create',
    { name: 'Acme', rate: '40', timezone: 'Asia/Tokyo' },
    owner,
  );
  harness.reopen();
  const orgs = await harness.data('orgs.list', {}, owner);
  expect(orgs.find((org) => org.id === created.id)).toEqual(created);
});

describe('agents sorted by org', () => {
  it('lists agents in no org first going up and last going down, on either engine', async () => {
    const beta = await harness.data('orgs.create', { name: 'beta Corp' }, owner);
    const alpha = await harness.data('orgs.create', { name: 'Alpha' }, owner);
    for (const [handle, orgId] of [
      ['in-beta', beta.id],
      ['loose', undefined],
      ['in-alpha', alpha.id],
    ] as const)
      await harness.data('agents.create', { name: handle, handle, ...(orgId ? { orgId } : {}) }, owner);
    const handles = async (direction: 'asc' | 'desc') =>
      (await harness.data('agents.list', { sort: 'org', direction }, owner)).items.map(
        (agent) => agent.handle,
      );
    expect(await handles('asc')).toEqual(['loose', 'in-alpha', 'in-beta']);
    expect(await handles('desc')).toEqual(['in-beta', 'in-alpha', 'loose']);
  });
});
