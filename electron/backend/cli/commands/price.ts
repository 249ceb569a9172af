import { readFile } from 'node:fs/promises';
import { CliFailure, callAsOwner, formatTable } from '../cli-context';
import type { Command } from '../command';
import { str } from '../command';

export const priceCommands: Command[] = [
  {
    words: ['price', 'set'],
    usage: 'price set MODEL --input P --output Q [--from YYYY-MM-DD] [--json]',
    summary: 'Set a model’s price in USD per 1,000,000 tokens, from a day on (default today)',
    options: { input: { type: 'string' }, output: { type: 'string' }, from: { type: 'string' } },
    positionals: 1,
    async run({ values, positionals }, { backend, io, json }) {
      const price = await callAsOwner(backend, 'prices.set', {
        model: positionals[0],
        input: str(values.input),
        output: str(values.output),
        from: str(values.from),
      });
      io.out(
        json
          ? JSON.stringify(price, null, 2)
          : `${price.model} from ${price.from}: $${price.input} input, $${price.output} output per 1M tokens.`,
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
            : formatTable(prices, ['model', 'from', 'input', 'output', 'source']),
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
      const summary = `${count('new')} new, ${count('changed')} changed, ${count('same')} unchanged, ${preview.skipped.length} skipped (no per-token prices)`;
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
