import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BudgetAlert } from '../../shared/contract/alerts';
import { makeTempDir, removeDir } from '../fixtures/backend';
import { runCliIn } from '../fixtures/cli';

let dir: string;
const cli = (...args: string[]) => runCliIn(dir, args);
const ok = async (...args: string[]) => {
  const result = await cli(...args);
  expect(result.code, `${args.join(' ')}: ${result.err}`).toBe(0);
  return result.out;
};

/** Imports 3M input tokens of a minute ago (this month): $7.50 of Acme's $10.00; when they were used. */
async function importSeventyFivePercent(): Promise<string> {
  const now = new Date();
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const at = new Date(Math.max(now.getTime() - 60_000, monthStart)).toISOString();
  const file = join(dir, 'usage.csv');
  writeFileSync(file, `timestamp,agent,model,input_tokens,output_tokens\n${at},alpha,gpt-4o,3000000,0\n`);
  await ok('usage', 'import', file);
  return at;
}

beforeEach(async () => {
  dir = makeTempDir('orgdeck-alerts-cli-');
  await ok(
    'org',
    'create',
    '--name',
    'Acme Corp',
    '--slug',
    'acme',
    '--budget',
    '10.00',
    '--alert-thresholds',
    '50,80,100',
  );
  await ok('agent', 'create', '--name', 'Alpha', '--handle', 'alpha');
  await ok('agent', 'assign', 'alpha', '--org', 'acme', '--at', '2026-01-01T00:00:00Z');
  await ok('price', 'set', 'gpt-4o', '--input', '2.50', '--output', '10.00', '--from', '2026-01-01');
});
afterEach(() => removeDir(dir));

describe('orgdeck alerts', () => {
  it('lists the alerts an import raised as JSON, and follows the org’s thresholds', async () => {
    expect(JSON.parse(await ok('org', 'show', 'acme', '--json')).alertThresholds).toEqual([50, 80, 100]);
    expect(JSON.parse(await ok('alerts', '--json'))).toEqual([]);

    // 3M input tokens a minute ago (this month): $7.50 of $10.00, 75 %: past 50 %, under 80 %.
    const at = await importSeventyFivePercent();

    const alerts = JSON.parse(await ok('alerts', '--json')) as BudgetAlert[];
    expect(alerts).toMatchObject([
      {
        org: { slug: 'acme' },
        month: at.slice(0, 7),
        kind: 'actual',
        threshold: 50,
        budget_use: 0.75,
        resolved_at: null,
      },
    ]);
    expect(await ok('alerts')).toContain('Acme Corp: 75% of the');

    // Without the 50 % threshold the alert resolves at the next check; it stays in the history.
    await ok('org', 'update', 'acme', '--alert-thresholds', '80,100');
    expect(JSON.parse(await ok('alerts', 'check', '--json'))).toEqual({ raised: 0, resolved: 1, open: 0 });
    expect(JSON.parse(await ok('alerts', '--json'))).toEqual([]);
    const history = JSON.parse(await ok('alerts', '--status', 'all', '--json')) as BudgetAlert[];
    expect(history).toMatchObject([{ threshold: 50, resolved_at: expect.any(String) }]);
  });

  it('sends the webhook of an alert an import raised before the command ends, once', async () => {
    const received: string[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push(body);
        response.statusCode = 204;
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
      const set = await runCliIn(
        dir,
        ['alerts', 'webhook', 'set', '--url', url, '--secret-stdin'],
        'a-long-shared-secret-for-tests\n',
      );
      expect(set.code, set.err).toBe(0);
      await importSeventyFivePercent();
      // Sent and recorded before the command returned: no pending delivery left for a server to send again.
      expect(received.map((body) => JSON.parse(body).event)).toEqual(['budget_alert.raised']);
      expect(JSON.parse(await ok('alerts', 'deliveries', '--json'))).toMatchObject([
        { event: 'raised', status: 'delivered', attempts: 1 },
      ]);
    } finally {
      server.close();
    }
  });

  it('refuses a threshold that is not a whole percentage, changing nothing', async () => {
    const refused = await cli('org', 'update', 'acme', '--alert-thresholds', '80,eighty');
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('A threshold is a whole percentage, like 80');
    expect((await cli('org', 'update', 'acme', '--alert-thresholds', '80,80')).err).toContain(
      'Each threshold once',
    );
    expect(JSON.parse(await ok('org', 'show', 'acme', '--json')).alertThresholds).toEqual([50, 80, 100]);
    await ok('org', 'update', 'acme', '--alert-thresholds', 'none');
    expect(JSON.parse(await ok('org', 'show', 'acme', '--json')).alertThresholds).toEqual([]);
  });

  it('says in --help how to set thresholds and read alerts', async () => {
    const help = await ok('--help');
    expect(help).toContain('--alert-thresholds 50,80,100|none');
    expect(help).toContain('orgdeck alerts [--status open|all] [--month YYYY-MM] [--org SLUG] [--json]');
    expect(help).toContain('orgdeck alerts webhook set --url URL [--secret-stdin]');
  });
});
