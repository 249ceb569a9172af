import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, OWNER, removeDir } from '../fixtures/backend';
import { runCliIn } from '../fixtures/cli';

let dataDir: string;
const cli = (...args: string[]) => runCliIn(dataDir, args);
const file = (name: string, text: string) => {
  const path = join(dataDir, name);
  writeFileSync(path, text);
  return path;
};
const handles = async () =>
  (JSON.parse((await cli('agent', 'list', '--json')).out) as { handle: string }[]).map(
    (agent) => agent.handle,
  );

const HEADER = 'name,handle,email,model,org,rate\n';

beforeEach(async () => {
  dataDir = makeTempDir('orgdeck-agent-import-');
  const init = await runCliIn(
    dataDir,
    ['init', '--owner-email', OWNER.ownerEmail, '--owner-name', OWNER.ownerName, '--password-stdin'],
    OWNER.password,
  );
  expect(init.code, init.err).toBe(0);
  expect((await cli('org', 'create', '--name', 'Acme Logistics', '--rate', '60.00')).code).toBe(0);
});

afterEach(() => removeDir(dataDir));

describe('orgdeck agent import FILE', () => {
  it('imports every row into its org, with its rate, and audits the import', async () => {
    const csv = file(
      'agents.csv',
      `${HEADER}Helpdesk Bot,helpdesk,help@acme.test,gpt-4o,acme-logistics,\n"Triage, the second",triage,,claude-3,acme-logistics,75.50\nSpare,spare,,,,\n`,
    );
    const result = await cli('agent', 'import', csv);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain('Imported 3 agents');
    const agents = JSON.parse((await cli('agent', 'list', '--json')).out);
    expect(
      agents.map((agent: { handle: string; org: { slug: string } | null; rate: string | null }) => [
        agent.handle,
        agent.org?.slug ?? null,
        agent.rate,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['helpdesk', 'acme-logistics', null],
        ['triage', 'acme-logistics', '75.50'],
        ['spare', null, null],
      ]),
    );
    expect(agents.find((agent: { handle: string }) => agent.handle === 'triage').name).toBe(
      'Triage, the second',
    );
    const audit = JSON.parse((await cli('audit', 'list', '--action', 'agents.imported', '--json')).out);
    expect(audit).toHaveLength(1);
  });

  it('imports nothing when one row is bad, and names each bad row by its line', async () => {
    const csv = file(
      'agents.csv',
      `${HEADER}Good,good-one,,,acme-logistics,\nBad Org,bad-org,,,globex,\nBad Rate,bad-rate,,,,12.345\nTwice,good-one,,,,\n`,
    );
    const result = await cli('agent', 'import', csv);
    expect(result.code).toBe(1);
    expect(result.err).toContain('line 3: org: No organization with the slug “globex”');
    expect(result.err).toMatch(/line 4: rate: /);
    expect(result.err).toContain('line 5: handle: Also on line 2');
    expect(result.err).not.toContain('line 2:');
    expect(await handles()).toEqual([]);
  });

  it('--dry-run checks a good file and changes nothing', async () => {
    const csv = file('agents.csv', `${HEADER}One,one,,,acme-logistics,\nTwo,two,,,,\n`);
    const result = await cli('agent', 'import', csv, '--dry-run');
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain('2 agents would be imported');
    expect(await handles()).toEqual([]);
  });

  it('refuses a file whose header is not the agent columns, and a handle already taken', async () => {
    const wrong = await cli('agent', 'import', file('wrong.csv', 'handle,name\nx,X\n'));
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('The first line must be the header: name, handle, email, model, org, rate');
    expect((await cli('agent', 'create', '--name', 'Taken', '--handle', 'taken')).code).toBe(0);
    const taken = await cli(
      'agent',
      'import',
      file('taken.csv', `${HEADER}New,new,,,,\nTaken again,taken,,,,\n`),
    );
    expect(taken.code).toBe(1);
    expect(taken.err).toContain('line 3: handle: This handle is taken');
    expect(await handles()).toEqual(['taken']);
  });
});
