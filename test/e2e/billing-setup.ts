import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Org } from '../../shared/contract/orgs';
import { cli, initOwner } from './console-server';

/** A month well in the past, so every agent's stay in it is over and the numbers are fixed. */
export const MONTH = '2026-09';

/**
 * Two client orgs and three agents, made with the CLI:
 * - Acme Corp ($40.00/agent/month): Alpha and Beta, assigned from 1 August (all of September).
 * - Globex ($25.00): Gamma, assigned on 16 September at 00:00 UTC: 15 of September's 30 days.
 * - gpt-4o costs $2.50 per 1M input tokens and $10.00 per 1M output tokens from 1 January 2026;
 *   mystery-model has no price.
 */
export function seedBilling(dataDir: string): Record<'acme' | 'globex', Org> {
  cli(dataDir, ['org', 'create', '--name', 'Acme Corp', '--slug', 'acme', '--rate', '40.00']);
  cli(dataDir, ['org', 'create', '--name', 'Globex', '--slug', 'globex', '--rate', '25.00']);
  for (const [name, handle] of [
    ['Alpha', 'alpha'],
    ['Beta', 'beta'],
    ['Gamma', 'gamma'],
  ] as const) {
    cli(dataDir, ['agent', 'create', '--name', name, '--handle', handle]);
  }
  cli(dataDir, ['agent', 'assign', 'alpha', '--org', 'acme', '--at', '2026-08-01T00:00:00Z']);
  cli(dataDir, ['agent', 'assign', 'beta', '--org', 'acme', '--at', '2026-08-01T00:00:00Z']);
  cli(dataDir, ['agent', 'assign', 'gamma', '--org', 'globex', '--at', '2026-09-16T00:00:00Z']);
  cli(dataDir, ['price', 'set', 'gpt-4o', '--input', '2.50', '--output', '10.00', '--from', '2026-01-01']);
  const orgs = JSON.parse(cli(dataDir, ['org', 'list', '--json'])) as Org[];
  const bySlug = (slug: string) => {
    const org = orgs.find((candidate) => candidate.slug === slug);
    if (!org) throw new Error(`${slug} was not created`);
    return org;
  };
  return { acme: bySlug('acme'), globex: bySlug('globex') };
}

/** The owner and seedBilling's world: where most billing specs start. */
export function seedOwnerAndBilling(dataDir: string): Record<'acme' | 'globex', Org> {
  initOwner(dataDir);
  return seedBilling(dataDir);
}

/**
 * 20 records, 18 good and 2 bad (lines 5 and 12, counting the header as line 1). By hand, for September:
 * - Alpha: 6 × (1M in, 100k out) of gpt-4o = 6 × ($2.50 + $1.00) = $21.00
 * - Beta: 4 × (200k in, 50k out) = 4 × ($0.50 + $0.50) = $4.00, and 2 × 15k tokens of the unpriced mystery-model
 * - Gamma on 10 September, before it joined Globex: 1M in = $2.50, unattributed
 * - Gamma in Globex: 4 × (1M in, 200k out) = 4 × ($2.50 + $2.00) = $18.00
 * - Alpha in August: 2M in = $5.00 (another month)
 * Revenue: Acme 2 × $40.00 = $80.00; Globex $25.00 × 15/30 = $12.50.
 */
export const USAGE_CSV = [
  'timestamp,agent,model,input_tokens,output_tokens',
  '2026-09-01T09:00:00Z,alpha,gpt-4o,1000000,100000',
  '2026-09-03T09:00:00Z,alpha,gpt-4o,1000000,100000',
  '2026-09-05T09:00:00Z,alpha,gpt-4o,1000000,100000',
  'not-a-time,alpha,gpt-4o,1,1',
  '2026-09-08T09:00:00Z,alpha,gpt-4o,1000000,100000',
  '2026-09-10T09:00:00Z,alpha,gpt-4o,1000000,100000',
  '2026-09-12T09:00:00Z,alpha,gpt-4o,1000000,100000',
  '2026-09-02T12:00:00Z,beta,gpt-4o,200000,50000',
  '2026-09-04T12:00:00Z,beta,gpt-4o,200000,50000',
  '2026-09-06T12:00:00Z,beta,gpt-4o,200000,50000',
  '2026-09-09T12:00:00Z,nobody,gpt-4o,5,5',
  '2026-09-11T12:00:00Z,beta,gpt-4o,200000,50000',
  '2026-09-14T12:00:00Z,beta,mystery-model,10000,5000',
  '2026-09-20T12:00:00Z,beta,mystery-model,10000,5000',
  '2026-09-10T08:00:00Z,gamma,gpt-4o,1000000,0',
  '2026-09-17T08:00:00Z,gamma,gpt-4o,1000000,200000',
  '2026-09-20T08:00:00Z,gamma,gpt-4o,1000000,200000',
  '2026-09-24T08:00:00Z,gamma,gpt-4o,1000000,200000',
  '2026-09-28T08:00:00Z,gamma,gpt-4o,1000000,200000',
  '2026-08-20T08:00:00Z,alpha,gpt-4o,2000000,0',
].join('\n');

export function writeUsage(dataDir: string, name = 'september-usage.csv'): string {
  const path = join(dataDir, name);
  writeFileSync(path, `${USAGE_CSV}\n`);
  return path;
}
