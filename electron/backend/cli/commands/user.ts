import type { User } from '../../../../shared/contract/users';
import { plural } from '../../../../shared/domain/counts';
import { type CliBackend, CliFailure, callAsOwner, formatTable, passwordFromStdin } from '../cli-context';
import { type Command, type CommandArgs, str } from '../command';
import { bySlug } from './org';

const COLUMNS = ['email', 'name', 'role', 'org', 'pages', 'status'];
const userRow = (user: User) => ({
  email: user.email,
  name: user.name,
  role: user.role,
  org: [
    ...(user.allClientOrgsRole ? [`every client org:${user.allClientOrgsRole}`] : []),
    ...user.memberships.map((m) => `${m.orgSlug}:${m.role}`),
  ].join(','),
  pages: user.role === 'user' ? user.pages.join(',') : 'all',
  status: user.disabled ? 'disabled' : 'active',
});

export async function byEmail(backend: CliBackend, email: string | undefined): Promise<User> {
  if (!email) throw new CliFailure({ code: 'VALIDATION', message: 'Name the user by their email.' }, 2);
  const users = await callAsOwner(backend, 'users.list', { search: email });
  const user = users.find((candidate) => candidate.email === email.toLowerCase());
  if (!user) throw new CliFailure({ code: 'NOT_FOUND', message: `No user with the email ${email}.` });
  return user;
}

const pagesOf = (values: CommandArgs['values']) =>
  str(values.pages)
    ?.split(',')
    .map((page) => page.trim())
    .filter(Boolean);

async function orgIdOf(
  backend: CliBackend,
  values: CommandArgs['values'],
): Promise<string | null | undefined> {
  if (values.unbind) return null;
  const slug = str(values.org);
  return slug === undefined ? undefined : (await bySlug(backend, slug)).id;
}

const show = (user: User, json: boolean, io: { out(text: string): void }, verb: string) =>
  io.out(json ? JSON.stringify(user, null, 2) : `${verb} ${user.name} <${user.email}> (${user.role}).`);

export const userCommands: Command[] = [
  {
    words: ['user', 'list'],
    usage: 'user list [--search TEXT] [--json]',
    summary: 'List console users',
    options: { search: { type: 'string' } },
    async run({ values }, { backend, io, json }) {
      const users = await callAsOwner(backend, 'users.list', { search: str(values.search) });
      io.out(json ? JSON.stringify(users, null, 2) : formatTable(users.map(userRow), COLUMNS));
    },
  },
  {
    words: ['user', 'create'],
    usage:
      'user create --email E --name N --role owner|admin|billing_admin|user [--org SLUG] [--pages agents,knowledge,...] --password-stdin [--json]',
    summary: 'Create a console user; a user with --org gets one member membership of that org',
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      org: { type: 'string' },
      pages: { type: 'string' },
      'password-stdin': { type: 'boolean' },
    },
    async run({ values }, { backend, io, json }) {
      const password = await passwordFromStdin(io, values['password-stdin'] === true);
      const user = await callAsOwner(backend, 'users.create', {
        email: str(values.email),
        name: str(values.name),
        role: str(values.role),
        boundOrgId: await orgIdOf(backend, values),
        pages: pagesOf(values),
        password,
      });
      show(user, json, io, 'Created');
    },
  },
  {
    words: ['user', 'update'],
    usage:
      'user update EMAIL [--name N] [--role owner|admin|billing_admin|user] [--org SLUG | --unbind] [--pages a,b] [--json]',
    summary: 'Change a user’s name, role or page permissions; --org makes them a member of that org only',
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      org: { type: 'string' },
      unbind: { type: 'boolean' },
      pages: { type: 'string' },
    },
    positionals: 1,
    async run({ values, positionals }, { backend, io, json }) {
      const user = await byEmail(backend, positionals[0]);
      const updated = await callAsOwner(backend, 'users.update', {
        id: user.id,
        name: str(values.name),
        role: str(values.role),
        boundOrgId: await orgIdOf(backend, values),
        pages: pagesOf(values),
      });
      show(updated, json, io, 'Updated');
    },
  },
  ...(['disable', 'enable'] as const).map(
    (verb): Command => ({
      words: ['user', verb],
      usage: `user ${verb} EMAIL [--json]`,
      summary:
        verb === 'disable' ? 'Disable a user: their sessions end' : 'Let a disabled user sign in again',
      options: {},
      positionals: 1,
      async run({ positionals }, { backend, io, json }) {
        const user = await byEmail(backend, positionals[0]);
        show(
          await callAsOwner(backend, `users.${verb}`, { id: user.id }),
          json,
          io,
          verb === 'disable' ? 'Disabled' : 'Enabled',
        );
      },
    }),
  ),
  {
    words: ['user', 'sign-out-everywhere'],
    usage: 'user sign-out-everywhere EMAIL [--json]',
    summary:
      'End every session of a user and revoke all their API tokens (after a lost laptop or leaked token)',
    options: {},
    positionals: 1,
    async run({ positionals }, { backend, io, json }) {
      const user = await byEmail(backend, positionals[0]);
      const ended = await callAsOwner(backend, 'session.signOutEverywhere', { userId: user.id });
      io.out(
        json
          ? JSON.stringify(ended, null, 2)
          : `Signed ${user.email} out everywhere: ${plural(ended.sessionsEnded, 'session')} ended, ${plural(ended.tokensRevoked, 'API token')} revoked.`,
      );
    },
  },
];
