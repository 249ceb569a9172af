import type { Invite } from '../../../../shared/contract/invites';
import { plural } from '../../../../shared/domain/counts';
import { CliFailure, callAsOwner, formatTable, passwordFromStdin, requiredArg } from '../cli-context';
import { type Command, str } from '../command';
import { bySlug } from './org';

/** Where the console of this data directory answers by default (`orgdeck serve`). */
const LOCAL_CONSOLE = 'http://127.0.0.1:4780';

/** The console's sign-in page with the code filled in: "I have an invite". */
export const inviteLink = (consoleUrl: string, code: string) =>
  `${new URL(consoleUrl).origin}/#/invite/${encodeURIComponent(code)}`;

const COLUMNS = ['id', 'email', 'orgs', 'status', 'expires'];
const inviteRow = (invite: Invite) => ({
  id: invite.id,
  email: invite.email,
  orgs: invite.memberships.map((m) => `${m.orgSlug}:${m.role}`).join(','),
  status: invite.status,
  expires: invite.expiresAt,
});

export const inviteCommands: Command[] = [
  {
    words: ['invite', 'create'],
    usage:
      'invite create --email E --org SLUG --role manager|member|viewer|billing [--expires-days 7] [--json]',
    summary: 'Invite an email into an org; prints the code and a link once (only its hash is kept)',
    options: {
      email: { type: 'string' },
      org: { type: 'string' },
      role: { type: 'string' },
      'expires-days': { type: 'string' },
    },
    async run({ values }, { backend, io, json }) {
      const slug = str(values.org);
      if (!slug) throw new CliFailure({ code: 'VALIDATION', message: 'Name the org with --org SLUG.' }, 2);
      const days = str(values['expires-days']);
      const created = await callAsOwner(backend, 'invites.create', {
        email: str(values.email),
        memberships: [{ orgId: (await bySlug(backend, slug)).id, role: str(values.role) }],
        ...(days === undefined ? {} : { expiresDays: Number(days) }),
      });
      const link = inviteLink(str(values.remote) ?? LOCAL_CONSOLE, created.code);
      io.out(
        json
          ? JSON.stringify({ ...created, link }, null, 2)
          : [
              `Invited ${created.invite.email} (until ${created.invite.expiresAt}).`,
              `Code: ${created.code}`,
              `Link: ${link}`,
              'The code is shown this once; it cannot be recovered, only revoked and replaced.',
            ].join('\n'),
      );
    },
  },
  {
    words: ['invite', 'list'],
    usage: 'invite list [--org SLUG] [--json]',
    summary: 'Invites, newest first, with their status (pending, used, expired, revoked)',
    options: { org: { type: 'string' } },
    async run({ values }, { backend, io, json }) {
      const slug = str(values.org);
      const orgId = slug === undefined ? undefined : (await bySlug(backend, slug)).id;
      const invites = await callAsOwner(backend, 'invites.list', { orgId });
      io.out(json ? JSON.stringify(invites, null, 2) : formatTable(invites.map(inviteRow), COLUMNS));
    },
  },
  {
    words: ['invite', 'revoke'],
    usage: 'invite revoke ID [--json]',
    summary: 'Revoke a pending invite: its code stops working',
    options: {},
    positionals: 1,
    async run({ positionals }, { backend, io, json }) {
      const id = requiredArg(positionals, 'Name the invite by its id (see invite list).');
      const invite = await callAsOwner(backend, 'invites.revoke', { id });
      io.out(json ? JSON.stringify(invite, null, 2) : `Revoked the invite of ${invite.email}.`);
    },
  },
  {
    words: ['invite', 'accept'],
    usage: 'invite accept CODE --name N --password-stdin [--json]',
    summary: 'Accept an invite: creates the account with the password read from standard input',
    options: { name: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    positionals: 1,
    async run({ values, positionals }, { backend, io, json }) {
      const code = requiredArg(positionals, 'Give the invite code.');
      const password = await passwordFromStdin(io, values['password-stdin'] === true);
      const { user } = await callAsOwner(backend, 'invites.accept', {
        code,
        name: str(values.name),
        password,
      });
      io.out(
        json
          ? JSON.stringify(user, null, 2)
          : `Welcome, ${user.name}: ${user.email} can now sign in, with ${plural(user.memberships.length, 'organization')}.`,
      );
    },
  },
];
