import type { Org } from '../../../../shared/contract/orgs';
import { callAsOwner, formatTable } from '../cli-context';
import { type Command, str } from '../command';

const orgRow = (org: Org) => ({
  slug: org.slug,
  name: org.name,
  rate: org.rate,
  timezone: org.timezone,
  kind: org.isOwner ? 'owner' : 'client',
});
const COLUMNS = ['slug', 'name', 'rate', 'timezone', 'kind'];

export const orgListCommand: Command = {
  words: ['org', 'list'],
  usage: 'org list [--search TEXT] [--json]',
  summary: 'List organizations',
  options: { search: { type: 'string' } },
  async run({ values }, { backend, io, json }) {
    const orgs = await callAsOwner(backend, 'orgs.list', { search: str(values.search) });
    if (json) io.out(JSON.stringify(orgs, null, 2));
    else io.out(orgs.length === 0 ? 'No organizations.' : formatTable(orgs.map(orgRow), COLUMNS));
  },
};

export const orgCreateCommand: Command = {
  words: ['org', 'create'],
  usage: 'org create --name N [--slug S] [--rate 40.00] [--timezone TZ] [--json]',
  summary: 'Create a client organization',
  options: {
    name: { type: 'string' },
    slug: { type: 'string' },
    rate: { type: 'string' },
    timezone: { type: 'string' },
  },
  async run({ values }, { backend, io, json }) {
    const org = await callAsOwner(backend, 'orgs.create', {
      name: str(values.name),
      slug: str(values.slug),
      rate: str(values.rate),
      timezone: str(values.timezone),
    });
    io.out(json ? JSON.stringify(org, null, 2) : `Created ${org.name} (${org.slug}).`);
  },
};
