import { readFile } from 'node:fs/promises';
import type { PriceRate } from '../../../../shared/contract/billing';
import { CATEGORIES, TIERS } from '../../../../shared/domain/token-pricing';
import { CliFailure, callAsOwner, formatTable } from '../cli-context';
import type { Command } from '../command';
import { str } from '../command';

/** KEY=P with KEY a category, then optionally @tier and >N in either order: output@batch=7.5, input>200000=6. */
const RATE = /^([a-z_0-9]+)(?:@([a-z]+))?(?:>(\d+))?(?:@([a-z]+))?=(.+)$/;

function parseRate(text: string): PriceRate {
  const match = RATE.exec(text.trim());
  const fail = (why: string) =>
    new CliFailure(
      {
        code: 'VALIDATION',
        message: `--rate ${text}: ${why}. Use KEY=P, KEY a category with optional @tier and >N.`,
      },
      2,
    );
  if (!match) throw fail('not KEY=P');
  const [, category, tierBefore, above, tierAfter, price] = match as unknown as (string | undefined)[];
  const tier = tierBefore ?? tierAfter ?? 'standard';
  if (tierBefore && tierAfter) throw fail('two tiers');
  if (!(CATEGORIES as readonly string[]).includes(category as string))
    throw fail(`the category is one of ${CATEGORIES.join(', ')}`);
  if (!(TIERS as readonly string[]).includes(tier)) throw fail(`the tier is one of ${TIERS.join(', ')}`);
  return {
    category: category as PriceRate['category'],
    tier: tier as PriceRate['tier'],
    above: above === undefined ? 0 : Number(above),
    price: price as string,
  };
}

/** "cache_read@batch>200000": a rate's key as the CLI writes it. */
const rateKey = (rate: { category: string; tier: string; above: number }) =>
  `${rate.category}${rate.tier === 'standard' ? '' : `@${rate.tier}`}${rate.above === 0 ? '' : `>${rate.above}`}`;

export const priceCommands: Command[] = [
  {
    words: ['price', 'set'],
    usage:
      'price set MODEL [--input P --output Q] [--rate KEY=P]… [--clear-rates] [--from YYYY-MM-DD] [--json]',
    summary:
      'Set a model’s price in USD per 1,000,000 tokens from a day on (default today); KEY is a category (' +
      `${CATEGORIES.join(', ')}), optionally @tier (${TIERS.slice(1).join(', ')}) and >N for the band over N ` +
      'prompt tokens. What is left out stays as the price in effect that day has it; --clear-rates drops its other rates',
    options: {
      input: { type: 'string' },
      output: { type: 'string' },
      rate: { type: 'string', multiple: true },
      'clear-rates': { type: 'boolean' },
      from: { type: 'string' },
    },
    positionals: 1,
    async run({ values, positionals }, { backend, io, json }) {
      const model = positionals[0];
      const given = (Array.isArray(values.rate) ? values.rate : []).map((text) => parseRate(String(text)));
      let rates: PriceRate[] | undefined;
      if (given.length > 0 || values['clear-rates']) {
        // --rate adds to or replaces the rates of the price in effect that day, unless --clear-rates.
        const from = str(values.from) ?? new Date().toISOString().slice(0, 10);
        const current = values['clear-rates']
          ? undefined
          : (await callAsOwner(backend, 'prices.list', {}))
              .filter((price) => price.model === model && price.from <= from)
              .at(-1);
        const byKey = new Map((current?.rates ?? []).map((rate) => [rateKey(rate), rate as PriceRate]));
        for (const rate of given) byKey.set(rateKey(rate), rate);
        rates = [...byKey.values()];
      }
      const price = await callAsOwner(backend, 'prices.set', {
        model,
        input: str(values.input),
        output: str(values.output),
        rates,
        from: str(values.from),
      });
      const others = price.rates.map((rate) => `$${rate.price} ${rateKey(rate)}`).join(', ');
      io.out(
        json
          ? JSON.stringify(price, null, 2)
          : `${price.model} from ${price.from}: $${price.input} input, $${price.output} output${others ? `, ${others}` : ''} per 1M tokens.`,
      );
    },
  },
  {
    words: ['price', 'list'],
    usage: 'price list [--json]',
    summary: 'Model prices with their history (USD per 1,000,000 tokens)',
    options: {},
    async run(_args, { backend, io, json }) {
      const prices = await callAsOwner(backend, 'prices.list', {});
      if (json) io.out(JSON.stringify(prices, null, 2));
      else
        io.out(
          prices.length === 0
            ? 'No prices yet.'
            : formatTable(
                prices.map((price) => ({
                  ...price,
                  rates: price.rates.map((rate) => `${rateKey(rate)}=${rate.price}`).join(' '),
                })),
                ['model', 'from', 'input', 'output', 'rates', 'source'],
              ),
        );
    },
  },
  {
    words: ['price', 'import-litellm'],
    usage: 'price import-litellm FILE [--from YYYY-MM-DD] [--dry-run] [--json]',
    summary: 'Import a LiteLLM cost map; --dry-run shows what would change',
    options: { from: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    positionals: 1,
    async run({ values, positionals }, { backend, io, json }) {
      const file = positionals[0];
      if (!file) throw new CliFailure({ code: 'VALIDATION', message: 'Name the LiteLLM JSON file.' }, 2);
      const content = await readFile(file, 'utf8').catch(() => {
        throw new CliFailure({ code: 'NOT_FOUND', message: `Cannot read ${file}.` });
      });
      const preview = await callAsOwner(backend, 'prices.previewLitellm', {
        content,
        from: str(values.from),
      });
      const count = (kind: string) => preview.changes.filter((change) => change.kind === kind).length;
      const leftOut = preview.changes.filter((change) => change.left_out.length > 0);
      const months = `${preview.months_priced} ${preview.months_priced === 1 ? 'month' : 'months'} of imported usage priced`;
      const summary = `${months}; ${count('new')} new, ${count('changed')} changed, ${count('same')} unchanged, ${preview.skipped.length} skipped (no per-token prices)${leftOut.length > 0 ? `; left out (not billed): ${leftOut.map((change) => `${change.model}: ${change.left_out.join(', ')}`).join('; ')}` : ''}`;
      if (values['dry-run']) {
        io.out(json ? JSON.stringify(preview, null, 2) : `Would import from ${preview.from}: ${summary}.`);
        return;
      }
      const result = await callAsOwner(backend, 'prices.importLitellm', { content, from: str(values.from) });
      io.out(
        json
          ? JSON.stringify({ ...result, ...preview }, null, 2)
          : `Imported from ${result.from}: ${summary}.`,
      );
    },
  },
];
