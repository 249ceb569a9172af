import * as z from 'zod';
import { TOKEN_DAYS } from '../domain/token-days';
import { channel } from './channel';
import { DisplayName, Id, Timestamp } from './fields';

export { TOKEN_DAYS };

export const ApiToken = z.object({
  id: Id,
  userId: Id,
  name: z.string(),
  /** The first characters of the secret, enough to tell tokens apart; never enough to use one. */
  prefix: z.string(),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
  status: z.enum(['active', 'expired', 'revoked']),
});
export type ApiToken = z.infer<typeof ApiToken>;

const TokenOwner = z.object({ id: Id, email: z.string(), name: z.string() });

export const tokenChannels = {
  'tokens.list': channel({
    summary: 'A user’s API tokens (never their secrets); owners and admins may list any user’s',
    kind: 'read',
    permission: 'session',
    input: z
      .object({ userId: Id.optional().describe('Whose tokens; the signed-in user’s when left out') })
      .strict(),
    output: z.object({
      user: TokenOwner,
      tokens: z.array(ApiToken),
      maxExpiresInDays: z.number().describe('The longest a new token may last (an owner setting)'),
    }),
  }),
  'tokens.create': channel({
    summary: 'Create an API token that acts as its user; the secret is in this answer only',
    kind: 'write',
    permission: 'session',
    input: z
      .object({
        name: DisplayName,
        expiresInDays: z
          .number()
          .int('Expiry is a whole number of days')
          .min(TOKEN_DAYS.min, `A token lasts at least ${TOKEN_DAYS.min} day`)
          .max(TOKEN_DAYS.max, `A token lasts at most ${TOKEN_DAYS.max} days`)
          .default(TOKEN_DAYS.default),
        userId: Id.optional().describe('For whom (owners and admins); the signed-in user when left out'),
        password: z
          .string()
          .max(1024)
          .optional()
          .describe('The signed-in user’s own password, asked again: a stolen session alone mints no token'),
        totpCode: z
          .string()
          .trim()
          .max(64)
          .optional()
          .describe(
            'With two-factor sign-in enrolled: a code from the authenticator app (or a recovery code)',
          ),
      })
      .strict(),
    output: z.object({
      token: ApiToken,
      secret: z.string().describe('Send as Authorization: Bearer <secret>; it is shown this once'),
    }),
  }),
  'session.signOutEverywhere': channel({
    summary:
      'End every session and revoke every API token of a user (yourself when left out; owners and admins for others)',
    kind: 'write',
    permission: 'session',
    input: z.object({ userId: Id.optional().describe('Whose; the signed-in user when left out') }).strict(),
    output: z.object({ sessionsEnded: z.number(), tokensRevoked: z.number() }),
  }),
  'tokens.revoke': channel({
    summary: 'Revoke an API token: it stops working at once',
    kind: 'write',
    permission: 'session',
    input: z.object({ id: Id }).strict(),
    output: ApiToken,
  }),
};
