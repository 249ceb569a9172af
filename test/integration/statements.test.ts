// Issue 17, items 4 and 5: month close issues numbered, immutable statements; later changes to a
// closed month become adjustments on the org's next statement; a client sees charges, never cost.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallSession } from '../../electron/backend/router/handler';
import type { ChannelName } from '../../shared/contract';
import {
  assign,
  type BillingWorld,
  createAgent,
  createOrg,
  csvOf,
  openBillingWorld,
  setPrice,
} from '../fixtures/billing';
import { runCliIn } from '../fixtures/cli';
import { logoPng } from '../fixtures/png';
import { ownerSession, PASSWORD, tokenSession } from '../fixtures/tenants';

const usageRow = (timestamp: string, agent: string, input: number, output: number) => ({
  timestamp,
  agent,
  model: 'gpt-4o',
  input_tokens: input,
  output_tokens: output,
});

const file = async (
  world: BillingWorld,
  number: string,
  format: 'json' | 'csv' | 'pdf',
  session?: CallSession,
) => Buffer.from((await world.call('statements.file', { number, format }, session)).base64, 'base64');

describe('statement numbering', () => {
  let world: BillingWorld;
  const orgs: { id: string; slug: string }[] = [];

  beforeEach(async () => {
    orgs.length = 0;
    world = openBillingWorld('2026-01-01T00:00:00Z');
    for (const name of ['Acme', 'Globex', 'Initech']) {
      const org = await createOrg(world, name, '100.00');
      const agent = await createAgent(world, `${org.slug}-bot`);
      await assign(world, agent.id, org.id, '2026-01-01T00:00:00Z');
      orgs.push(org);
    }
    // No revenue: this org gets no statement.
    await createOrg(world, 'Quiet', '100.00');
    world.clock.set('2026-11-02T08:00:00Z');
  });
  afterEach(() => world.cleanup());

  it('numbers every statement and credit note once, without gaps, across many closes and voids', async () => {
    const numbers: string[] = [];
    for (const month of ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']) {
      const { issued, skipped } = await world.call('statements.close', { month });
      expect(issued.map((s) => s.org.slug)).toEqual(['acme', 'globex', 'initech']);
      expect(skipped).toEqual([{ org: 'quiet', reason: 'nothing to bill this month' }]);
      numbers.push(...issued.map((s) => s.number));
    }
    // Closing again issues nothing: each org's month stands.
    const again = await world.call('statements.close', { month: '2026-03' });
    expect(again.issued).toEqual([]);
    expect(again.skipped.map((s) => s.reason)).toContain(`already closed: ${numbers[6]}`);

    const voided = numbers[4] as string;
    const credit = await world.call('statements.void', { number: voided, reason: 'Wrong contact' });
    numbers.push(credit.number);
    expect(credit).toMatchObject({ kind: 'credit_note', credits: voided, total: '-100.00' });
    // The voided month reopens for that org only.
    const reissued = await world.call('statements.close', { month: '2026-02', org: orgs[1]?.id });
    expect(reissued.issued).toHaveLength(1);
    numbers.push(...reissued.issued.map((s) => s.number));
    await expect(
      world.backend.router.call('statements.void', { number: voided, reason: 'again' }, ownerSession()),
    ).resolves.toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    // A new prefix continues the year's sequence.
    await world.call('settings.update', { statementPrefix: 'INV' });
    const renamed = await world.call('statements.close', { month: '2026-07', org: orgs[0]?.id });
    numbers.push(...renamed.issued.map((s) => s.number));

    expect(numbers).toEqual(
      numbers.map(
        (_, index) =>
          `${index === numbers.length - 1 ? 'INV' : 'ST'}-2026-${String(index + 1).padStart(4, '0')}`,
      ),
    );
    const listed = await world.call('statements.list', {});
    expect(listed.map((s) => s.number).sort()).toEqual([...numbers].sort());
    expect(listed.find((s) => s.number === voided)?.voided_by).toBe(credit.number);
    // Every issue and the void are in the audit trail, under the org they bill.
    const issuedTrail = await world.call('audit.list', { action: 'statement.issued', pageSize: 100 });
    expect(issuedTrail.items.map((item) => item.target.id).sort()).toEqual(
      numbers.filter((number) => number !== credit.number).sort(),
    );
    const voidTrail = await world.call('audit.list', { action: 'statement.voided' });
    expect(voidTrail.items).toEqual([
      expect.objectContaining({ target: expect.objectContaining({ id: voided }) }),
    ]);
  });

  it('refuses a month that has not ended, and a close by anyone but an owner or admin', async () => {
    const early = await world.backend.router.call('statements.close', { month: '2026-11' }, ownerSession());
    expect(early).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    await world.call('users.create', {
      email: 'money@msp.test',
      name: 'Money',
      role: 'billing_admin',
      password: PASSWORD,
    });
    const session = tokenSession();
    await world.call('session.signIn', { email: 'money@msp.test', password: PASSWORD }, session);
    const refused = await world.backend.router.call('statements.close', { month: '2026-09' }, session);
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await world.call('statements.list', {})).toEqual([]);
  });
});

describe('issued statements never change; later changes become adjustments', () => {
  let world: BillingWorld;
  let acme: { id: string; slug: string };

  beforeEach(async () => {
    world = openBillingWorld('2026-09-01T00:00:00Z');
    acme = await createOrg(world, 'Acme', '300.00', 'full_month');
    const ann = await createAgent(world, 'ann');
    await assign(world, ann.id, acme.id, '2026-09-01T00:00:00Z');
    await setPrice(world, 'gpt-4o', '2.5', '10', '2026-01-01');
    world.clock.set('2026-11-03T10:00:00Z');
    await world.importText(
      'october.csv',
      csvOf([usageRow('2026-10-05T10:00:00Z', 'ann', 1_000_000, 100_000)]),
    );
  });
  afterEach(() => world.cleanup());

  it('a late import for a closed month leaves its files byte-identical and lands on the next statement', async () => {
    const { issued } = await world.call('statements.close', { month: '2026-10' });
    const october = issued[0]?.number as string;
    const before = {
      pdf: await file(world, october, 'pdf'),
      json: await file(world, october, 'json'),
      csv: await file(world, october, 'csv'),
    };
    expect(before.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const document = await world.call('statements.get', { number: october });
    expect(document.lines.map((l) => [l.kind, l.amount, l.cost])).toEqual([
      ['agent_fee', '300.00', '0.000000'],
      ['usage', '0.00', '3.500000'],
    ]);
    expect(document.totals).toMatchObject({ total: '300.00', cost: '3.500000' });

    // Late usage for October: $1.25 of input more at $2.50 per million.
    world.clock.set('2026-11-10T10:00:00Z');
    await world.importText('late.csv', csvOf([usageRow('2026-10-20T10:00:00Z', 'ann', 500_000, 0)]));
    const pending = await world.call('statements.pending', {});
    expect(pending).toEqual([
      expect.objectContaining({
        org: expect.objectContaining({ slug: 'acme' }),
        for_month: '2026-10',
        kind: 'usage',
        cost: '1.250000',
        tokens: '500000',
        reason: expect.stringContaining('late.csv'),
      }),
    ]);
    expect(await file(world, october, 'pdf')).toEqual(before.pdf);
    expect(await file(world, october, 'json')).toEqual(before.json);
    expect(await file(world, october, 'csv')).toEqual(before.csv);

    // A rate dated back (rates have no history yet: an edit rewrites October) is an adjustment too.
    await world.call('orgs.update', { id: acme.id, rate: '320.00' });
    world.clock.set('2026-12-02T09:00:00Z');
    const next = (await world.call('statements.close', { month: '2026-11' })).issued[0]?.number as string;
    const november = await world.call('statements.get', { number: next });
    const adjustments = november.lines.filter((line) => line.adjustment);
    expect(adjustments.map((l) => [l.kind, l.amount, l.cost, l.adjustment?.for_month])).toEqual([
      ['agent_fee', '20.00', '0.000000', '2026-10'],
      ['usage', '0.00', '1.250000', '2026-10'],
    ]);
    expect(adjustments[0]?.adjustment?.reason).toMatch(/terms changed/);
    expect(november.totals).toMatchObject({ fees: '320.00', adjustments: '20.00', total: '340.00' });
    // Settled: nothing is pending, and the next close does not repeat it.
    expect(await world.call('statements.pending', {})).toEqual([]);
    expect(await file(world, october, 'pdf')).toEqual(before.pdf);

    // An undone import takes its usage back out, as a negative adjustment.
    const jobs = await world.call('jobs.list', {});
    const late = jobs.find((job) => job.fileName === 'late.csv');
    world.clock.set('2026-12-04T09:00:00Z');
    await world.call('usage.undo', { jobId: late?.id });
    const undone = await world.call('statements.pending', {});
    expect(undone.map((p) => [p.for_month, p.cost, p.tokens])).toEqual([['2026-10', '-1.250000', '-500000']]);
    expect(undone[0]?.reason).toMatch(/late\.csv undone/);
  });

  it('voiding reopens the month: its adjustments become pending again and the new statement carries them', async () => {
    const first = (await world.call('statements.close', { month: '2026-10' })).issued[0]?.number as string;
    await world.call('orgs.update', { id: acme.id, rate: '310.00' });
    world.clock.set('2026-12-02T09:00:00Z');
    const second = (await world.call('statements.close', { month: '2026-11' })).issued[0]?.number as string;
    expect((await world.call('statements.get', { number: second })).totals.adjustments).toBe('10.00');
    const credit = await world.call('statements.void', {
      number: second,
      reason: 'Sent to the wrong address',
    });
    const note = await world.call('statements.get', { number: credit.number });
    expect(note).toMatchObject({ kind: 'credit_note', credits: second, reason: 'Sent to the wrong address' });
    expect(note.totals.total).toBe('-320.00');
    expect((await world.call('statements.pending', {})).map((p) => p.amount)).toEqual(['10.00']);
    const again = (await world.call('statements.close', { month: '2026-11' })).issued[0]?.number as string;
    expect((await world.call('statements.get', { number: again })).totals.total).toBe('320.00');
    expect(first).not.toBe(again);
  });
});

describe('what a client sees', () => {
  let world: BillingWorld;
  let acme: { id: string };
  let globex: { id: string };

  beforeEach(async () => {
    world = openBillingWorld('2026-09-01T00:00:00Z');
    acme = await createOrg(world, 'Acme', '300.00', 'full_month');
    globex = await createOrg(world, 'Globex', '200.00', 'full_month');
    const ann = await createAgent(world, 'ann');
    const gus = await createAgent(world, 'gus');
    await assign(world, ann.id, acme.id, '2026-09-01T00:00:00Z');
    await assign(world, gus.id, globex.id, '2026-09-01T00:00:00Z');
    await setPrice(world, 'gpt-4o', '2.5', '10', '2026-01-01');
    world.clock.set('2026-11-03T10:00:00Z');
    await world.importText(
      'october.csv',
      csvOf([
        usageRow('2026-10-05T10:00:00Z', 'ann', 1_000_000, 100_000),
        usageRow('2026-10-06T10:00:00Z', 'gus', 2_000_000, 0),
      ]),
    );
    await world.call('statements.close', { month: '2026-10' });
  });
  afterEach(() => world.cleanup());

  /** Every key anywhere in a value, nested. */
  const keysOf = (value: unknown): string[] =>
    typeof value !== 'object' || value === null
      ? []
      : Object.entries(value).flatMap(([key, inner]) => [
          ...(Array.isArray(value) ? [] : [key]),
          ...keysOf(inner),
        ]);

  async function client(role: 'billing' | 'member'): Promise<CallSession> {
    const email = `${role}@acme.test`;
    await world.call('users.create', {
      email,
      name: role,
      role: 'user',
      pages: ['billing'],
      password: PASSWORD,
    });
    await world.call('members.put', { email, orgId: acme.id, role });
    const session = tokenSession();
    await world.call('session.signIn', { email, password: PASSWORD }, session);
    return session;
  }

  it('sees its own statements and usage, charges only; never cost, markup or margin; never another org', async () => {
    const session = await client('billing');
    const all = await world.call('statements.list', {});
    const own = all.find((s) => s.org.id === acme.id)?.number as string;
    const other = all.find((s) => s.org.id === globex.id)?.number as string;

    const seen: unknown[] = [];
    const call = async (name: ChannelName, input: unknown) => {
      const envelope = await world.backend.router.call(name, input, session);
      seen.push(envelope);
      return envelope;
    };
    const listed = await call('statements.list', {});
    expect(listed).toMatchObject({ ok: true, data: [expect.objectContaining({ number: own })] });
    expect((listed as { data: unknown[] }).data).toHaveLength(1);
    const view = await call('statements.view', { number: own });
    expect(view).toMatchObject({ ok: true, data: { number: own, totals: { total: '300.00' } } });
    const json = await call('statements.file', { number: own, format: 'json' });
    const jsonText = Buffer.from((json as { data: { base64: string } }).data.base64, 'base64').toString();
    seen.push(JSON.parse(jsonText));
    const csv = await call('statements.file', { number: own, format: 'csv' });
    const csvText = Buffer.from((csv as { data: { base64: string } }).data.base64, 'base64').toString();
    expect(csvText.split('\r\n')[0]).not.toMatch(/cost|markup|margin/);
    const usage = await call('statements.usage', { month: '2026-10', org: acme.id });
    expect(usage).toMatchObject({
      ok: true,
      data: { rows: [expect.objectContaining({ agent: { handle: 'ann', name: 'ann' }, tokens: '1100000' })] },
    });
    // The PDF is the one the MSP's staff get: the same bytes, charges only.
    const pdf = await call('statements.file', { number: own, format: 'pdf' });
    expect(Buffer.from((pdf as { data: { base64: string } }).data.base64, 'base64')).toEqual(
      await file(world, own, 'pdf'),
    );
    expect(keysOf(seen).filter((key) => /cost|markup|margin/i.test(key))).toEqual([]);
    // The staff's JSON does carry them: the client's copy left them out, not the document.
    expect(keysOf(JSON.parse((await file(world, own, 'json')).toString()))).toContain('cost');

    // The MSP's figures and another org's statements are out of reach.
    for (const [name, input] of [
      ['statements.get', { number: own }],
      ['statements.pending', {}],
      ['statements.close', { month: '2026-10' }],
      ['statements.void', { number: own, reason: 'x' }],
    ] as const)
      expect((await world.backend.router.call(name, input, session)).ok, name).toBe(false);
    for (const [name, input] of [
      ['statements.view', { number: other }],
      ['statements.file', { number: other, format: 'pdf' }],
      ['statements.usage', { month: '2026-10', org: globex.id }],
      ['statements.list', { org: globex.id }],
    ] as const) {
      const refused = await world.backend.router.call(name, input, session);
      expect(refused.ok, name).toBe(false);
      expect(JSON.stringify(refused)).not.toContain('Globex');
    }
  });

  it('a member without the billing role sees no statements', async () => {
    const session = await client('member');
    const refused = await world.backend.router.call('statements.list', {}, session);
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('the MSP logo statements show', () => {
  let world: BillingWorld;

  beforeEach(async () => {
    world = openBillingWorld('2026-09-01T00:00:00Z');
    const acme = await createOrg(world, 'Acme', '300.00', 'full_month');
    const ann = await createAgent(world, 'ann');
    await assign(world, ann.id, acme.id, '2026-09-01T00:00:00Z');
    world.clock.set('2026-11-03T10:00:00Z');
  });
  afterEach(() => world.cleanup());

  const refusal = async (base64: string) =>
    (await world.backend.router.call('settings.setLogo', { base64 }, ownerSession())) as {
      ok: boolean;
      error?: { code: string };
    };

  it('takes a PNG or JPEG by its bytes, within the size limit; an issued statement keeps its logo', async () => {
    const png = logoPng();
    // A text file named like an image, an image cut short, and one too large are refused.
    expect(await refusal(Buffer.from('not an image at all').toString('base64'))).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(await refusal(png.subarray(0, 40).toString('base64'))).toMatchObject({ ok: false });
    const huge = Buffer.concat([png, Buffer.alloc(600 * 1024)]).toString('base64');
    expect(await refusal(huge)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await world.call('settings.logo', {})).toEqual({ logo: null });

    const { logo } = await world.call('settings.setLogo', { base64: png.toString('base64') });
    expect(logo).toMatchObject({ contentType: 'image/png', base64: png.toString('base64') });
    await world.call('settings.update', { mspName: 'Northwind', mspAddress: '1 Dock Road\nBristol' });
    const number = (await world.call('statements.close', { month: '2026-10' })).issued[0]?.number as string;
    const issued = await world.call('statements.get', { number });
    expect(issued.msp).toEqual({ name: 'Northwind', address: '1 Dock Road\nBristol', logo: logo?.sha256 });
    const pdf = await file(world, number, 'pdf');

    await world.call('settings.setLogo', { base64: null });
    await world.call('settings.update', { mspName: 'Someone Else' });
    expect((await world.call('statements.get', { number })).msp.name).toBe('Northwind');
    expect(await file(world, number, 'pdf')).toEqual(pdf);
  });
});

describe('orgdeck statement', () => {
  let world: BillingWorld;

  beforeEach(async () => {
    world = openBillingWorld('2026-09-01T00:00:00Z');
    const acme = await createOrg(world, 'Acme', '300.00', 'full_month');
    const ann = await createAgent(world, 'ann');
    await assign(world, ann.id, acme.id, '2026-09-01T00:00:00Z');
    world.backend.close();
  });
  afterEach(() => {
    world.reopen();
    world.cleanup();
  });

  it('closes, lists, shows the same bytes every time, and voids', async () => {
    const cli = (...args: string[]) => runCliIn(world.dataDir, args);
    const closed = await cli('statement', 'close', '--month', '2026-09');
    expect(closed).toMatchObject({ code: 0, out: 'Issued ST-2026-0001 to Acme for 2026-09: 300.00 USD.' });
    const listed = await cli('statement', 'list', '--org', 'acme', '--json');
    expect(JSON.parse(listed.out)).toEqual([
      expect.objectContaining({ number: 'ST-2026-0001', total: '300.00' }),
    ]);
    const one = join(world.dataDir, 'one.pdf');
    const two = join(world.dataDir, 'two.pdf');
    expect((await cli('statement', 'show', 'ST-2026-0001', '--format', 'pdf', '--out', one)).code).toBe(0);
    expect((await cli('statement', 'show', 'ST-2026-0001', '--format', 'pdf', '--out', two)).code).toBe(0);
    expect(readFileSync(one).equals(readFileSync(two))).toBe(true);
    const csv = await cli('statement', 'show', 'ST-2026-0001', '--format', 'csv');
    expect(csv.out.split('\r\n')[0]).toBe(
      'number,kind,description,agent_handle,model,days,rate,tokens,cost,markup_pct,amount,adjusts_month,reason',
    );
    expect(await cli('statement', 'show', 'ST-2026-0001', '--format', 'pdf')).toMatchObject({ code: 2 });
    expect(await cli('statement', 'show', 'ST-2026-0009', '--format', 'json')).toMatchObject({
      code: 1,
      err: expect.stringContaining('NOT_FOUND'),
    });
    const voided = await cli('statement', 'void', 'ST-2026-0001', '--reason', 'Duplicate');
    expect(voided).toMatchObject({ code: 0, out: expect.stringContaining('credit note ST-2026-0002') });
    expect((await cli('statement', '--help')).out).toContain('statement show NUMBER --format json|csv|pdf');
  });
});
