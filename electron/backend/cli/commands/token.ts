import type { ApiToken } from '../../../../shared/contract/tokens';
import { CliFailure, callAsOwner, formatTable, passwordFromStdin, requiredArg } from '../cli-context';
import { type Command, str } from '../command';
import { byEmail } from './user';

const COLUMNS = ['id', 'user', 'name', 'prefix', 'status', 'expires', 'last used'];
const row = (token: ApiToken, email: string) => ({
  id: token.id,
  user: email,
  name: token.name,
  prefix: `${token.prefix}…`,
  status: token.status,
  expires: token.expiresAt,
  'last used': token.lastUsedAt ?? 'never',
});

function daysOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new CliFailure({ code: 'VALIDATION', message: '--expires-days must be a whole number.' }, 2);
  return Number(value);
}

export const tokenCommands: Command[] = [
  {
    words: ['token', 'create'],
    usage:
      'token create --user EMAIL --name NAME [--expires-days N] [--password-stdin] [--totp-code CODE] [--json]',
    summary:
      'Create an API token acting as a user (1–365 days, 90 by default, at most the owner’s cap); the secret is printed once. With --remote, your own password on standard input (--password-stdin) and, with two-factor sign-in, a current code (--totp-code)',
    options: {
      user: { type: 'string' },
      name: { type: 'string' },
      'expires-days': { type: 'string' },
      'password-stdin': { type: 'boolean' },
      'totp-code': { type: 'string' },
    },
    async run({ values }, { backend, io, json }) {
      const user = await byEmail(backend, str(values.user));
      // A server asks its signed-in user for their password again; the data directory's owner has none.
      const password = values['password-stdin'] === true ? await passwordFromStdin(io, true) : undefined;
      const created = await callAsOwner(backend, 'tokens.create', {
        userId: user.id,
        name: str(values.name),
        expiresInDays: daysOf(str(values['expires-days'])),
        password,
        totpCode: str(values['totp-code']),
      });
      io.out(
        json
          ? JSON.stringify(created, null, 2)
          : [
              created.secret,
              `API token “${created.token.name}” for ${user.email}, valid until ${created.token.expiresAt}.`,
              'This is the only time the token is shown: store it now. Send it as Authorization: Bearer <token>.',
            ].join('\n'),
      );
    },
  },
  {
    words: ['token', 'list'],
    usage: 'token list [--user EMAIL] [--json]',
    summary: 'API tokens (never their secrets): one user’s, or everyone’s',
    options: { user: { type: 'string' } },
    async run({ values }, { backend, io, json }) {
      const email = str(values.user);
      const users = email ? [await byEmail(backend, email)] : await callAsOwner(backend, 'users.list', {});
      const lists = [];
      for (const user of users) lists.push(await callAsOwner(backend, 'tokens.list', { userId: user.id }));
      io.out(
        json
          ? JSON.stringify(
              lists.flatMap((list) => list.tokens),
              null,
              2,
            )
          : formatTable(
              lists.flatMap((list) => list.tokens.map((token) => row(token, list.user.email))),
              COLUMNS,
            ),
      );
    },
  },
  {
    words: ['token', 'revoke'],
    usage: 'token revoke ID [--json]',
    summary: 'Revoke an API token: it stops working at once',
    options: {},
    positionals: 1,
    async run({ positionals }, { backend, io, json }) {
      const id = requiredArg(positionals, 'Name the token by its id (see `orgdeck token list`).');
      const token = await callAsOwner(backend, 'tokens.revoke', { id });
      io.out(json ? JSON.stringify(token, null, 2) : `Revoked API token “${token.name}” (${token.prefix}…).`);
    },
  },
];
