import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, OWNER, removeDir } from '../fixtures/backend';
import { runCliIn } from '../fixtures/cli';

let dataDir: string;
const cli = (...args: string[]) => runCliIn(dataDir, args);
const listed = async () => JSON.parse((await cli('price', 'list', '--json')).out);

beforeEach(async () => {
  dataDir = makeTempDir('orgdeck-price-cli-');
  const init = await runCliIn(
    dataDir,
    ['init', '--owner-email', OWNER.ownerEmail, '--owner-name', OWNER.ownerName, '--password-stdin'],
    OWNER.password,
  );
  expect(init.code, init.err).toBe(0);
});

afterEach(() => removeDir(dataDir));

describe('orgdeck price set --rate', () => {
  it('takes a category with a tier and a band, as the issue writes them, and lists them', async () => {
    const set = await cli(
      'price',
      'set',
      'gpt-x',
      '--input',
      '3',
      '--output',
      '15',
      '--rate',
      'cache_read=0.3',
      '--rate',
      'cache_write_1h=6',
      '--rate',
      'input>200000=6',
      '--rate',
      'output@batch=7.5',
      '--rate',
      'cache_read@priority>200000=1.2',
      '--from',
      '2026-01-01',
    );
    expect(set.code, set.err).toBe(0);
    expect(set.out).toContain('$0.30 cache_read');
    const [price] = await listed();
    expect(price).toMatchObject({ model: 'gpt-x', from: '2026-01-01', input: '3.00', output: '15.00' });
    expect(price.rates).toEqual(
      expect.arrayContaining([
        { category: 'cache_read', tier: 'standard', above: 0, price: '0.30' },
        { category: 'cache_write_1h', tier: 'standard', above: 0, price: '6.00' },
        { category: 'input', tier: 'standard', above: 200_000, price: '6.00' },
        { category: 'output', tier: 'batch', above: 0, price: '7.50' },
        { category: 'cache_read', tier: 'priority', above: 200_000, price: '1.20' },
      ]),
    );
    expect(price.rates).toHaveLength(5);
  });

  it('adds a rate to the price in effect without repeating it, and --clear-rates drops the others', async () => {
    expect(
      (
        await cli(
          'price',
          'set',
          'gpt-x',
          '--input',
          '3',
          '--output',
          '15',
          '--rate',
          'cache_read=0.3',
          '--from',
          '2026-01-01',
        )
      ).code,
    ).toBe(0);
    expect((await cli('price', 'set', 'gpt-x', '--rate', 'reasoning=20', '--from', '2026-02-01')).code).toBe(
      0,
    );
    const [, february] = await listed();
    expect(february).toMatchObject({ input: '3.00', output: '15.00' });
    expect(february.rates.map((rate: { category: string }) => rate.category).sort()).toEqual([
      'cache_read',
      'reasoning',
    ]);
    expect((await cli('price', 'set', 'gpt-x', '--clear-rates', '--from', '2026-02-01')).code).toBe(0);
    expect((await listed())[1].rates).toEqual([]);
  });

  it.each([
    ['audio=1', 'the category is one of'],
    ['input@turbo=1', 'the tier is one of'],
    ['cache_read', 'not KEY=P'],
    ['cache_read@batch>5@flex=1', 'two tiers'],
  ])('refuses --rate %s, changing nothing', async (rate, why) => {
    const result = await cli('price', 'set', 'gpt-x', '--input', '1', '--output', '1', '--rate', rate);
    expect(result.code).toBe(2);
    expect(result.err).toContain(why);
    expect(await listed()).toEqual([]);
  });
});
