import * as z from 'zod';
import { channel } from './channel';
import { Id } from './fields';

export const TotpCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app');

export const twoFactorChannels = {
  'twoFactor.status': channel({
    summary: 'Whether you sign in with a second factor, and how many recovery codes are left',
    kind: 'read',
    permission: 'session',
    input: z.object({}).strict(),
    output: z.object({ enrolled: z.boolean(), recoveryCodesLeft: z.number().int(), required: z.boolean() }),
  }),
  'twoFactor.begin': channel({
    summary: 'Start enrolling an authenticator app: a new secret, as a QR code and as text',
    kind: 'write',
    permission: 'session',
    input: z.object({}).strict(),
    output: z.object({
      otpauthUrl: z.string(),
      secret: z.string().describe('Base32, for typing into an app that cannot scan'),
      qrDataUrl: z.string().describe('The otpauth URL as a PNG data URL'),
    }),
  }),
  'twoFactor.confirm': channel({
    summary: 'Finish enrolling with a code from the app; answers 10 single-use recovery codes, shown once',
    kind: 'write',
    permission: 'session',
    input: z.object({ code: TotpCode }).strict(),
    output: z.object({ recoveryCodes: z.array(z.string()) }),
  }),
  'twoFactor.reset': channel({
    summary: 'Owner only: remove a user’s second factor (they enrol again if it is required)',
    kind: 'write',
    permission: 'users.manage',
    input: z.object({ userId: Id }).strict(),
    output: z.object({ reset: z.literal(true) }),
  }),
};
