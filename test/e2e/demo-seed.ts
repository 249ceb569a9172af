// A demo install for screenshots, the page-load measurement and the accessibility check: five client
// orgs with agents in several time zones, the LiteLLM price list, and a month of usage, made with the CLI.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, initOwner } from './console-server';

const PRICES = join(import.meta.dirname, '../fixtures/litellm-model-prices.json');
/** The month the demo usage falls in. */
export const DEMO_MONTH = '2026-10';

/** A client org with its monthly rate per agent, and its agents. */
interface SeedOrg {
  name: string;
  slug: string;
  rate: string;
  timezone: string;
  agents: [name: string, handle: string, model: string][];
}

const ORGS: SeedOrg[] = [
  {
    name: 'Acme Corp',
    slug: 'acme-corp',
    rate: '450.00',
    timezone: 'Europe/Berlin',
    agents: [
      ['Support Bot', 'acme-support', 'gpt-4o'],
      ['Invoice Triage', 'acme-invoices', 'gpt-4.1-mini'],
      ['Sales Assistant', 'acme-sales', 'claude-sonnet-4-5'],
    ],
  },
  {
    name: 'Globex Logistics',
    slug: 'globex',
    rate: '300.00',
    timezone: 'America/Chicago',
    agents: [
      ['Dispatch Planner', 'globex-dispatch', 'gemini-2.5-pro'],
      ['Customs Checker', 'globex-customs', 'gpt-4o-mini'],
    ],
  },
  {
    name: 'Initech',
    slug: 'initech',
    rate: '100.00',
    timezone: 'America/New_York',
    agents: [
      ['IT Helpdesk', 'initech-helpdesk', 'claude-sonnet-4-5'],
      ['Report Writer', 'initech-reports', 'gpt-4o'],
    ],
  },
  {
    name: 'Umbrella Health',
    slug: 'umbrella-health',
    rate: '600.00',
    timezone: 'Europe/London',
    agents: [
      ['Intake Nurse', 'umbrella-intake', 'claude-haiku-4-5'],
      ['Claims Reviewer', 'umbrella-claims', 'gpt-4.1'],
      ['Scheduler', 'umbrella-scheduler', 'gemini-2.5-flash'],
    ],
  },
  { name: 'Wayne Legal', slug: 'wayne-legal', rate: '250.00', timezone: 'Europe/Paris', agents: [] },
];

/** Busier agents get more calls a day; the same seed gives the same month every time. */
function usageCsv(): string {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const rows = ['timestamp,agent,model,input_tokens,output_tokens'];
  const agents = ORGS.flatMap((org) => org.agents);
  for (let day = 1; day <= 31; day++) {
    agents.forEach(([, handle, model], index) => {
      const calls = 2 + ((index * 7) % 5);
      for (let call = 0; call < calls; call++) {
        const hour = String(8 + Math.floor(random() * 10)).padStart(2, '0');
        const input = Math.round((20_000 + random() * 180_000) * (1 + (index % 3)));
        const output = Math.round(input * (0.1 + random() * 0.2));
        rows.push(
          `${DEMO_MONTH}-${String(day).padStart(2, '0')}T${hour}:00:00Z,${handle},${model},${input},${output}`,
        );
      }
    });
  }
  return `${rows.join('\n')}\n`;
}

/** Seeds `dataDir` (a new data directory) with the demo install. */
export function seedDemo(dataDir: string): void {
  initOwner(dataDir);
  cli(dataDir, ['price', 'import-litellm', PRICES, '--from', '2026-01-01']);
  for (const org of ORGS) {
    cli(dataDir, ['org', 'create', '--name', org.name, '--slug', org.slug, '--rate', org.rate]);
    cli(dataDir, ['org', 'update', org.slug, '--timezone', org.timezone]);
    for (const [name, handle, model] of org.agents) {
      cli(dataDir, ['agent', 'create', '--name', name, '--handle', handle, '--model', model]);
      cli(dataDir, ['agent', 'assign', handle, '--org', org.slug, '--at', '2026-09-01T00:00:00Z']);
    }
  }
  // Acme rebills its usage with a markup, a model's own and an allowance, from September.
  cli(dataDir, [
    'org',
    'update',
    'acme-corp',
    '--usage-markup',
    '20',
    '--included-usage',
    '5',
    '--from',
    '2026-09-01',
  ]);
  cli(dataDir, [
    'org',
    'markup',
    'set',
    'acme-corp',
    '--model',
    'gpt-4o',
    '--pct',
    '35',
    '--from',
    '2026-09-01',
  ]);
  cli(dataDir, [
    'agent',
    'create',
    '--name',
    'Onboarding Guide',
    '--handle',
    'onboarding',
    '--model',
    'gpt-4o',
  ]);
  const usage = join(dataDir, 'october.csv');
  writeFileSync(usage, usageCsv());
  cli(dataDir, ['usage', 'import', usage]);
}
