import type { ChannelName } from '../../../../shared/contract';
import type { Org } from '../../../../shared/contract/orgs';
import { decimalPercent } from '../../../../shared/domain/percent';
import { type CliBackend, CliFailure, callAsOwner, formatTable, requiredArg } from '../cli-context';
import { type Command, type CommandArgs, str } from '../command';

const COLUMNS = ['slug', 'name', 'status', 'rate', 'billing', 'timezone'];
const orgRow = (org: Org) => ({
  slug: org.slug,
  name: org.isOwner ? `${org.name} (owner)` : org.name,
  status: org.status,
  rate: org.rate,
  billing: org.billingMode,
  timezone: org.timezone,
});

/** Options shared by create and update, mapped to the contract's field names. */
const FIELD_OPTIONS = {
  name: { type: 'string' },
  rate: { type: 'string' },
  timezone: { type: 'string' },
  billing: { type: 'string' },
  'contact-name': { type: 'string' },
  'contact-email': { type: 'string' },
  description: { type: 'string' },
  budget: { type: 'string' },
  'alert-thresholds': { type: 'string' },
} as const;

/** "50,80,100" → [50, 80, 100]; "none" (or "") → no alerts. The contract checks each number. */
function thresholdsOf(text: string | undefined): unknown[] | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'none') return [];
  return trimmed.split(',').map((part) => {
    const value = part.trim();
    return /^\d+$/.test(value) ? Number(value) : value;
  });
}

function fields(values: CommandArgs['values']) {
  return {
    name: str(values.name),
    rate: str(values.rate),
    timezone: str(values.timezone),
    billingMode: str(values.billing),
    contactName: str(values['contact-name']),
    contactEmail: str(values['contact-email']),
    description: str(values.description),
    budget: str(values.budget),
    alertThresholds: thresholdsOf(str(values['alert-thresholds'])),
  };
}

const slugArg = (positionals: string[]) => requiredArg(positionals, 'Name the organization by its slug.');

export const bySlug = (backend: CliBackend, slug: string) => callAsOwner(backend, 'orgs.get', { slug });

function printOrg(org: Org, json: boolean, io: { out(text: string): void }, verb: string) {
  io.out(json ? JSON.stringify(org, null, 2) : `${verb} ${org.name} (${org.slug}): ${org.status}.`);
}

/** `org <verb> SLUG` for the lifecycle channels that take only the org's id. */
function lifecycle(
  verb: string,
  channel: ChannelName & `orgs.${string}`,
  summary: string,
  done: string,
): Command {
  return {
    words: ['org', verb],
    usage: `org ${verb} SLUG [--json]`,
    summary,
    options: {},
    positionals: 1,
    async run({ positionals }, { backend, io, json }) {
      const org = await bySlug(backend, slugArg(positionals));
      printOrg(await callAsOwner(backend, channel as 'orgs.activate', { id: org.id }), json, io, done);
    },
  };
}

export const orgCommands: Command[] = [
  {
    words: ['org', 'list'],
    usage: 'org list [--search TEXT] [--status current|active|inactive|deleted] [--json]',
    summary: 'List organizations',
    options: { search: { type: 'string' }, status: { type: 'string' } },
    async run({ values }, { backend, io, json }) {
      const orgs = await callAsOwner(backend, 'orgs.list', {
        search: str(values.search),
        status: str(values.status),
      });
      if (json) io.out(JSON.stringify(orgs, null, 2));
      else io.out(orgs.length === 0 ? 'No organizations.' : formatTable(orgs.map(orgRow), COLUMNS));
    },
  },
  {
    words: ['org', 'show'],
    usage: 'org show SLUG [--json]',
    summary: 'Show one organization',
    options: {},
    positionals: 1,
    async run({ positionals }, { backend, io, json }) {
      const org = await bySlug(backend, slugArg(positionals));
      if (json) io.out(JSON.stringify(org, null, 2));
      else
        io.out(
          formatTable(
            [{ ...orgRow(org), contact: `${org.contactName} ${org.contactEmail}`.trim() }],
            [...COLUMNS, 'contact'],
          ),
        );
    },
  },
  {
    words: ['org', 'create'],
    usage:
      'org create --name N [--slug S] [--rate 40.00] [--timezone TZ] [--billing prorated|full_month] [--contact-name N] [--contact-email E] [--description D] [--budget USD] [--alert-thresholds 80,100] [--json]',
    summary: 'Create a client organization',
    options: { ...FIELD_OPTIONS, slug: { type: 'string' } },
    async run({ values }, { backend, io, json }) {
      const org = await callAsOwner(backend, 'orgs.create', { ...fields(values), slug: str(values.slug) });
      io.out(json ? JSON.stringify(org, null, 2) : `Created ${org.name} (${org.slug}).`);
    },
  },
  {
    words: ['org', 'update'],
    usage:
      'org update SLUG [--name N] [--rate R] [--billing prorated|full_month] [--usage-markup PCT|none] [--included-usage USD] [--minimum USD] [--from YYYY-MM-DD] [--timezone TZ] [--contact-name N] [--contact-email E] [--description D] [--budget USD] [--alert-thresholds 50,80,100|none] [--json]',
    summary:
      'Edit an organization (the slug never changes). Rate, billing mode, usage markup (percent on top of usage cost; none stops rebilling usage), included usage (USD of cost a month) and minimum (USD a month) apply from --from, a UTC day (default: today, UTC); earlier months keep theirs',
    options: {
      ...FIELD_OPTIONS,
      'usage-markup': { type: 'string' },
      'included-usage': { type: 'string' },
      minimum: { type: 'string' },
      from: { type: 'string' },
    },
    positionals: 1,
    async run({ values, positionals }, { backend, io, json }) {
      const org = await bySlug(backend, slugArg(positionals));
      const markup = str(values['usage-markup']);
      printOrg(
        await callAsOwner(backend, 'orgs.update', {
          id: org.id,
          ...fields(values),
          usageMarkup: markup === 'none' ? null : markup,
          includedUsage: str(values['included-usage']),
          minimum: str(values.minimum),
          from: str(values.from),
        }),
        json,
        io,
        'Updated',
      );
    },
  },
  {
    words: ['org', 'markup', 'set'],
    usage: 'org markup set SLUG --model M --pct P|none [--from YYYY-MM-DD] [--json]',
    summary:
      'Set the usage markup of one model for an organization from a UTC day on (default: today, UTC); none goes back to the org’s markup',
    options: { model: { type: 'string' }, pct: { type: 'string' }, from: { type: 'string' } },
    positionals: 1,
    async run({ values, positionals }, { backend, io, json }) {
      const org = await bySlug(backend, slugArg(positionals));
      const model = str(values.model);
      const pct = str(values.pct);
      if (model === undefined || pct === undefined)
        throw new CliFailure({ code: 'VALIDATION', message: 'Give --model M and --pct P (or none).' }, 2);
      const terms = await callAsOwner(backend, 'orgs.setModelMarkup', {
        id: org.id,
        model,
        pct: pct === 'none' ? null : pct,
        from: str(values.from),
      });
      if (json) io.out(JSON.stringify(terms, null, 2));
      else
        io.out(
          `${org.name}: ${model} at ${pct === 'none' ? 'the org’s markup' : decimalPercent(pct)} from ${str(values.from) ?? 'today'}.`,
        );
    },
  },
  lifecycle(
    'deactivate',
    'orgs.deactivate',
    'Deactivate an organization: its agents stop until it is activated',
    'Deactivated',
  ),
  lifecycle('activate', 'orgs.activate', 'Activate an organization again', 'Activated'),
  lifecycle('restore', 'orgs.restore', 'Restore a deleted organization (within 30 days)', 'Restored'),
  {
    words: ['org', 'delete'],
    usage: 'org delete SLUG --confirm SLUG [--json]',
    summary: 'Delete an organization (restorable for 30 days); refused while agents are assigned',
    options: { confirm: { type: 'string' } },
    positionals: 1,
    async run({ values, positionals }, { backend, io, json }) {
      const slug = slugArg(positionals);
      if (str(values.confirm) !== slug) {
        throw new CliFailure(
          { code: 'VALIDATION', message: `Repeat the slug to confirm: --confirm ${slug}` },
          2,
        );
      }
      const org = await bySlug(backend, slug);
      const deleted = await callAsOwner(backend, 'orgs.delete', { id: org.id, confirmName: org.name });
      if (json) io.out(JSON.stringify(deleted, null, 2));
      else
        io.out(
          `Deleted ${deleted.name} (${deleted.slug}). Restore it before ${deleted.purgeAfter} with: orgdeck org restore ${deleted.slug}`,
        );
    },
  },
];
