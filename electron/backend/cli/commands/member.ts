import type { Member } from '../../../../shared/contract/members';
import { CliFailure, callAsOwner, formatTable, requiredArg } from '../cli-context';
import { type Command, str } from '../command';
import { bySlug } from './org';

const COLUMNS = ['org', 'email', 'name', 'role'];
const memberRow = (member: Member) => ({
  org: member.orgSlug,
  email: member.email,
  name: member.name,
  role: member.role,
});

export const memberCommands: Command[] = [
  {
    words: ['member', 'add'],
    usage: 'member add EMAIL --org SLUG|--all-orgs --role manager|member|viewer|billing [--json]',
    summary: 'Give a user a role in an org, or in every client org (present and future); changes a held role',
    options: { org: { type: 'string' }, 'all-orgs': { type: 'boolean' }, role: { type: 'string' } },
    positionals: 1,
    async run({ values, positionals }, { backend, io, json }) {
      const email = requiredArg(positionals, 'Name the user by their email.');
      const slug = str(values.org);
      const everyClientOrg = values['all-orgs'] === true;
      if ((slug === undefined) === !everyClientOrg)
        throw new CliFailure({ code: 'VALIDATION', message: 'Give either --org SLUG or --all-orgs.' }, 2);
      const where =
        slug === undefined ? { allClientOrgs: true } : { orgId: (await bySlug(backend, slug)).id };
      const result = await callAsOwner(backend, 'members.put', { email, role: str(values.role), ...where });
      const place = slug ?? 'every client org';
      io.out(
        json
          ? JSON.stringify(result, null, 2)
          : result.changed
            ? `${result.email} is now ${result.role} in ${place}.`
            : `${result.email} was already ${result.role} in ${place}.`,
      );
    },
  },
  {
    words: ['member', 'remove'],
    usage: 'member remove EMAIL --org SLUG|--all-orgs [--json]',
    summary: 'Take a user’s membership away; it applies to their very next call',
    options: { org: { type: 'string' }, 'all-orgs': { type: 'boolean' } },
    positionals: 1,
    async run({ values, positionals }, { backend, io, json }) {
      const email = requiredArg(positionals, 'Name the user by their email.');
      const slug = str(values.org);
      if ((slug === undefined) === (values['all-orgs'] !== true))
        throw new CliFailure({ code: 'VALIDATION', message: 'Give either --org SLUG or --all-orgs.' }, 2);
      const where =
        slug === undefined ? { allClientOrgs: true } : { orgId: (await bySlug(backend, slug)).id };
      const result = await callAsOwner(backend, 'members.remove', { email, ...where });
      io.out(json ? JSON.stringify(result, null, 2) : `Removed ${email} from ${slug ?? 'every client org'}.`);
    },
  },
  {
    words: ['member', 'list'],
    usage: 'member list [--org SLUG] [--json]',
    summary: 'Who holds which role in an org, or in every org',
    options: { org: { type: 'string' } },
    async run({ values }, { backend, io, json }) {
      const slug = str(values.org);
      const orgId = slug === undefined ? undefined : (await bySlug(backend, slug)).id;
      const members = await callAsOwner(backend, 'members.list', { orgId });
      io.out(json ? JSON.stringify(members, null, 2) : formatTable(members.map(memberRow), COLUMNS));
    },
  },
];
