// Rates with history and usage rebilling (issue 17, items 1 and 2), through the router and the CLI.
// Every expected figure is worked out by hand next to it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, OWNER, removeDir } from '../fixtures/backend';
import {
  agentIn,
  assign,
  type BillingWorld,
  createAgent,
  createOrg,
  csvOf,
  margins,
  openBillingWorld,
  orgIn,
  setPrice,
} from '../fixtures/billing';
import { runCliIn } from '../fixtures/cli';
import { PASSWORD, tokenSession } from '../fixtures/tenants';

let world: BillingWorld;

beforeEach(() => {
  world = openBillingWorld('2026-04-10T00:00:00Z');
});
afterEach(() => world.cleanup());

describe('rates with history', () => {
  it('bills a month at the rates in effect during it: a change mid-month splits it, earlier months keep theirs', async () => {
    const org = await createOrg(world, 'Acme', '40.00');
    const agent = await createAgent(world, 'bot');
    await assign(world, agent.id, org.id, '2026-01-01T00:00:00Z');
    await world.call('orgs.update', { id: org.id, rate: '62.00', from: '2026-03-11' });
    // March, 31 days: 10 at $40 and 21 at $62 = (400 + 1302) / 31 = 54.903… → $54.90
    expect(orgIn(await margins(world, '2026-03'), org.id).revenue).toBe('54.90');
    expect(orgIn(await margins(world, '2026-02'), org.id).revenue).toBe('40.00');

    // Without a day: from today, 10 April. April, 30 days: 9 at $62 and 21 at $70 = (558 + 1470) / 30 = $67.60
    // for the whole month, its forecast; April is the current month, so its revenue is what has
    // accrued by now (00:00 on the 10th): 9 days at $62 = 558 / 30 = $18.60.
    const updated = await world.call('orgs.update', { id: org.id, rate: '70.00' });
    expect(updated.rate).toBe('70.00');
    expect(orgIn(await margins(world, '2026-03'), org.id).revenue).toBe('54.90');
    const april = orgIn(await margins(world, '2026-04'), org.id);
    expect(april.revenue).toBe('18.60');
    expect(april.forecast?.revenue).toBe('67.60');
    // A day later, 24 hours at $70 more: (558 + 70) / 30 = $20.93
    world.clock.set('2026-04-11T00:00:00Z');
    expect(orgIn(await margins(world, '2026-04'), org.id).revenue).toBe('20.93');
    world.clock.set('2026-04-10T00:00:00Z');

    // The agent's own rate from 16 March: 10 days × 40 + 5 × 62 + 16 × 100 = 400 + 310 + 1600 = 2310 / 31 = 74.516… → $74.52
    await world.call('agents.update', { id: agent.id, rate: '100.00', from: '2026-03-16' });
    expect(agentIn(orgIn(await margins(world, '2026-03'), org.id), 'bot').revenue).toBe('74.52');
    const terms = await world.call('orgs.billingTerms', { id: org.id });
    expect(terms.rate).toEqual({
      base: '40.00',
      changes: [
        { from: '2026-03-11', value: '62.00' },
        { from: '2026-04-10', value: '70.00' },
      ],
    });
  });

  it('full_month bills the rate in effect on the month’s first day: a mid-month change counts from the next month', async () => {
    const org = await createOrg(world, 'Fullco', '40.00', 'full_month');
    const agent = await createAgent(world, 'bot');
    await assign(world, agent.id, org.id, '2026-01-01T00:00:00Z');
    await world.call('orgs.update', { id: org.id, rate: '90.00', from: '2026-03-11' });
    expect(orgIn(await margins(world, '2026-03'), org.id).revenue).toBe('40.00');
    // April (the current month) accrues evenly: 9 of 30 days of $90 = $27.00 by the 10th; the whole $90 in its forecast.
    const april = orgIn(await margins(world, '2026-04'), org.id);
    expect([april.revenue, april.forecast?.revenue]).toEqual(['27.00', '90.00']);
    // A change of mode on the 1st applies to that month: March prorated at $40, 31 of 31 days.
    await world.call('orgs.update', {
      id: org.id,
      billingMode: 'prorated',
      rate: '31.00',
      from: '2026-03-01',
    });
    // 10 days × 31 + 21 × 90 = 310 + 1890 = 2200 / 31 = 70.967… → $70.97
    expect(orgIn(await margins(world, '2026-03'), org.id).revenue).toBe('70.97');
  });
});

describe('who may change rates, and from when', () => {
  it('lets a billing admin change a rate from today but not date it back; a client user can do neither', async () => {
    const org = await createOrg(world, 'Guarded', '40.00');
    await world.call('users.create', {
      email: 'billing@example.com',
      name: 'Billing Admin',
      role: 'billing_admin',
      password: PASSWORD,
    });
    await world.call('users.create', {
      email: 'client@example.com',
      name: 'Client',
      role: 'user',
      boundOrgId: org.id,
      pages: ['billing'],
      password: PASSWORD,
    });
    const billing = tokenSession();
    await world.call('session.signIn', { email: 'billing@example.com', password: PASSWORD }, billing);
    const client = tokenSession();
    await world.call('session.signIn', { email: 'client@example.com', password: PASSWORD }, client);
    const { router } = world.backend;

    const backdated = await router.call(
      'orgs.update',
      { id: org.id, rate: '50.00', from: '2026-03-01' },
      billing,
    );
    expect(backdated).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const markupBack = await router.call(
      'orgs.setModelMarkup',
      { id: org.id, model: 'gpt-test', pct: '10', from: '2026-03-01' },
      billing,
    );
    expect(markupBack).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const today = await router.call('orgs.update', { id: org.id, rate: '50.00', usageMarkup: '15' }, billing);
    expect(today).toMatchObject({ ok: true, data: { rate: '50.00', usageMarkup: '15' } });

    for (const [channel, input] of [
      ['orgs.update', { id: org.id, rate: '1.00' }],
      ['orgs.setModelMarkup', { id: org.id, model: 'gpt-test', pct: '0' }],
      ['orgs.billingTerms', { id: org.id }],
    ] as const) {
      const refused = await router.call(channel, input as never, client);
      expect(refused, channel).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    // The client sees its org and rate, never the usage terms: a markup would tell it the cost.
    for (const seen of [
      await router.call('orgs.get', { id: org.id }, client),
      await router.call('orgs.list', {}, client),
    ]) {
      expect(seen.ok).toBe(true);
      const text = JSON.stringify(seen);
      expect(text).toContain('"rate":"50.00"');
      for (const key of ['usageMarkup', 'includedUsage', 'minimum']) expect(text).not.toContain(`"${key}"`);
    }
    expect(await router.call('orgs.get', { id: org.id }, billing)).toMatchObject({
      ok: true,
      data: { usageMarkup: '15', includedUsage: '0.00', minimum: '0.00' },
    });
    // Nothing the refusals asked for happened: one dated rate, today's, and one markup.
    const terms = await world.call('orgs.billingTerms', { id: org.id });
    expect(terms.rate.changes).toEqual([{ from: '2026-04-10', value: '50.00' }]);
    expect(terms.modelMarkups).toEqual([]);
  });
});

describe('usage rebilling', () => {
  it('adds cost beyond the included usage with its markups, splits it over agents exactly, and tops up to the minimum', async () => {
    const org = await createOrg(world, 'Rebill', '10.00');
    const one = await createAgent(world, 'one');
    const two = await createAgent(world, 'two');
    await assign(world, one.id, org.id, '2026-03-01T00:00:00Z');
    await assign(world, two.id, org.id, '2026-03-01T00:00:00Z');
    await setPrice(world, 'gpt-test', '2.00', '8.00', '2026-01-01');
    await setPrice(world, 'gpt-mini', '1.00', '1.00', '2026-01-01');
    await world.call('orgs.update', {
      id: org.id,
      usageMarkup: '50',
      includedUsage: '3.50',
      minimum: '30.00',
      from: '2026-03-01',
    });
    await world.call('orgs.setModelMarkup', { id: org.id, model: 'gpt-mini', pct: '25', from: '2026-03-01' });
    await world.importText(
      'usage.csv',
      csvOf([
        // one: 1M input × $2 = $2.00 at 50 %
        {
          timestamp: '2026-03-05T10:00:00Z',
          agent: 'one',
          model: 'gpt-test',
          input_tokens: 1_000_000,
          output_tokens: 0,
        },
        // two: 0.5M output × $8 = $4.00 at 50 %, and 1M × $1 = $1.00 of gpt-mini at 25 %
        {
          timestamp: '2026-03-06T10:00:00Z',
          agent: 'two',
          model: 'gpt-test',
          input_tokens: 0,
          output_tokens: 500_000,
        },
        {
          timestamp: '2026-03-07T10:00:00Z',
          agent: 'two',
          model: 'gpt-mini',
          input_tokens: 1_000_000,
          output_tokens: 0,
        },
      ]),
    );
    const march = orgIn(await margins(world, '2026-03'), org.id);
    // Cost 7.00, marked up 3 + 6 + 1.25 = 10.25; beyond the $3.50 included: 10.25 × 3.5 / 7 = 5.125 → $5.13.
    // Parts by marked-up cost: one 5.13 × 3 / 10.25 = 1.501…, two 5.13 × 7.25 / 10.25 = 3.628…: floors 1.50
    // and 3.62, the cent left goes to the larger remainder (two's).
    expect(march).toMatchObject({ revenue_agents: '20.00', revenue_usage: '5.13', cost: '7.000000' });
    expect(agentIn(march, 'one')).toMatchObject({
      revenue_agents: '10.00',
      revenue_usage: '1.50',
      revenue: '11.50',
    });
    expect(agentIn(march, 'two')).toMatchObject({
      revenue_agents: '10.00',
      revenue_usage: '3.63',
      revenue: '13.63',
    });
    // 20 + 5.13 = 25.13, topped up to the $30 minimum: 4.87 more.
    expect(march).toMatchObject({ minimum_topup: '4.87', revenue: '30.00' });
    // Before the terms' day, February bills no usage and no minimum.
    expect(orgIn(await margins(world, '2026-02'), org.id)).toMatchObject({
      revenue_usage: '0.00',
      minimum_topup: '0.00',
    });
  });

  it('the current month: revenue to date has the usage fee so far but no minimum; the forecast has both', async () => {
    // Created in March, so April's run rate has its 7 full days before today (10 April, 00:00).
    world.clock.set('2026-03-01T00:00:00Z');
    const org = await createOrg(world, 'Running', '30.00');
    const agent = await createAgent(world, 'runner');
    world.clock.set('2026-04-10T00:00:00Z');
    await assign(world, agent.id, org.id, '2026-04-01T00:00:00Z');
    await setPrice(world, 'gpt-test', '2.00', '8.00', '2026-01-01');
    await setPrice(world, 'gpt-mini', '1.00', '1.00', '2026-01-01');
    await world.call('orgs.update', {
      id: org.id,
      usageMarkup: '50',
      includedUsage: '1.00',
      minimum: '60.00',
      from: '2026-04-01',
    });
    await world.call('orgs.setModelMarkup', { id: org.id, model: 'gpt-mini', pct: '25', from: '2026-04-01' });
    const row = (timestamp: string, model: string, input: number, output: number) => ({
      timestamp,
      agent: 'runner',
      model,
      input_tokens: input,
      output_tokens: output,
    });
    await world.importText(
      'april.csv',
      csvOf([
        // $2.00 and $4.00 of gpt-test at 50 %, $1.00 of gpt-mini at 25 %: cost $7.00, marked up 10.25.
        row('2026-04-03T10:00:00Z', 'gpt-test', 1_000_000, 0),
        row('2026-04-08T10:00:00Z', 'gpt-test', 0, 500_000),
        row('2026-04-09T10:00:00Z', 'gpt-mini', 1_000_000, 0),
      ]),
    );
    const april = orgIn(await margins(world, '2026-04'), org.id);
    // Fees to date: 9 of 30 days × $30 = $9.00. Usage fee on the cost so far, beyond the $1 included:
    // 10.25 × 6 / 7 = 8.785… → $8.79. No minimum top-up yet: it is a month-end charge.
    expect(april).toMatchObject({
      revenue_agents: '9.00',
      revenue_usage: '8.79',
      minimum_topup: '0.00',
      revenue: '17.79',
      cost: '7.000000',
    });
    // Forecast: run rate $7 over 3–9 April = $1 a day, 21 days left: cost $28.00. The rest by model:
    // gpt-test $6 × 21 / 7 = $18 at 50 %, gpt-mini $1 × 3 = $3 at 25 %: marked up 10.25 + 27 + 3.75 = 41,
    // fee 41 × 27 / 28 = 39.535… → $39.54; with the month's fees $30.00: $69.54, over the $60 minimum.
    expect(april.forecast).toMatchObject({ cost: '28.000000', revenue: '69.54' });
    // A $100 minimum tops the forecast up to it; the month to date is as it was.
    await world.call('orgs.update', { id: org.id, minimum: '100.00', from: '2026-04-01' });
    const topped = orgIn(await margins(world, '2026-04'), org.id);
    expect([topped.revenue, topped.minimum_topup, topped.forecast?.revenue]).toEqual([
      '17.79',
      '0.00',
      '100.00',
    ]);
  });

  it('refuses a markup that is not a percent with 2 decimals, and changes nothing', async () => {
    const org = await createOrg(world, 'Strict', '10.00');
    for (const usageMarkup of ['-5', '12.345', '2000', 'ten']) {
      await expect(world.call('orgs.update', { id: org.id, usageMarkup })).rejects.toThrow(/VALIDATION/);
    }
    expect((await world.call('orgs.billingTerms', { id: org.id })).usageMarkup.changes).toEqual([]);
  });
});

describe('orgdeck org update --from and org markup set', () => {
  let dataDir: string;
  const cli = (...args: string[]) => runCliIn(dataDir, args);

  beforeEach(async () => {
    dataDir = makeTempDir('orgdeck-rates-cli-');
    const init = await runCliIn(
      dataDir,
      ['init', '--owner-email', OWNER.ownerEmail, '--owner-name', OWNER.ownerName, '--password-stdin'],
      OWNER.password,
    );
    expect(init.code, init.err).toBe(0);
  });
  afterEach(() => removeDir(dataDir));

  it('dates rates and usage terms, and report margins shows revenue_agents and revenue_usage', async () => {
    expect((await cli('org', 'create', '--name', 'Acme Logistics', '--rate', '40')).code).toBe(0);
    expect(
      (await cli('agent', 'create', '--name', 'Bot', '--handle', 'bot', '--org', 'acme-logistics')).code,
    ).toBe(0);
    const update = await cli(
      'org',
      'update',
      'acme-logistics',
      '--rate',
      '50',
      '--from',
      '2026-01-01',
      '--usage-markup',
      '20',
      '--included-usage',
      '0',
      '--minimum',
      '0',
      '--json',
    );
    expect(update.code, update.err).toBe(0);
    expect(JSON.parse(update.out)).toMatchObject({ rate: '50.00', usageMarkup: '20', includedUsage: '0.00' });
    const markup = await cli(
      'org',
      'markup',
      'set',
      'acme-logistics',
      '--model',
      'gpt-test',
      '--pct',
      '35',
      '--from',
      '2026-01-01',
      '--json',
    );
    expect(markup.code, markup.err).toBe(0);
    expect(JSON.parse(markup.out).modelMarkups).toEqual([
      { model: 'gpt-test', changes: [{ from: '2026-01-01', value: '35' }] },
    ]);
    const bad = await cli('org', 'update', 'acme-logistics', '--rate', '60', '--from', '2026-13-01');
    expect(bad.code).not.toBe(0);
    expect(JSON.parse((await cli('org', 'show', 'acme-logistics', '--json')).out).rate).toBe('50.00');

    const file = join(dataDir, 'usage.csv');
    const month = new Date().toISOString().slice(0, 7);
    writeFileSync(
      file,
      `timestamp,agent,model,input_tokens,output_tokens\n${new Date().toISOString()},bot,gpt-test,1000000,0\n`,
    );
    expect(
      (await cli('price', 'set', 'gpt-test', '--input', '2', '--output', '8', '--from', '2026-01-01')).code,
    ).toBe(0);
    const imported = await cli('usage', 'import', file);
    expect(imported.code, imported.err).toBe(0);
    const report = JSON.parse((await cli('report', 'margins', '--month', month, '--json')).out);
    const org = report.orgs.find((row: { slug: string }) => row.slug === 'acme-logistics');
    // $2.00 of cost at the model's 35 %: $2.70.
    expect(org.revenue_usage).toBe('2.70');
    expect(org.agents[0].revenue_usage).toBe('2.70');
    expect(Number(org.revenue)).toBeCloseTo(Number(org.revenue_agents) + 2.7, 2);
  });
});
