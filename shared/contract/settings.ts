import * as z from 'zod';
import { LOGO_MAX_BYTES } from '../domain/statement-logo';
import { channel } from './channel';
import { TOKEN_DAYS } from './tokens';

export const Settings = z.object({
  sessionTimeoutHours: z
    .number()
    .int('Whole hours only')
    .min(1, 'At least 1 hour')
    .max(720, 'At most 720 hours (30 days)')
    .describe('How long a sign-in lasts'),
  lowMarginThreshold: z
    .number()
    .min(-1, 'At least -100%')
    .max(1, 'At most 100%')
    .describe('Margins below this fraction are highlighted'),
  apiTokenMaxDays: z
    .number()
    .int('Whole days only')
    .min(TOKEN_DAYS.min, `At least ${TOKEN_DAYS.min} day`)
    .max(TOKEN_DAYS.max, `At most ${TOKEN_DAYS.max} days`)
    .describe('The longest an API token may last, counted from its creation; also shortens existing tokens'),
  requireTwoFactor: z
    .boolean()
    .describe('Everyone signs in with a second factor: users without one enrol at their next sign-in'),
  mspName: z.string().trim().max(200, 'At most 200 characters').describe('Your business name, on statements'),
  mspAddress: z
    .string()
    .trim()
    .max(1000, 'At most 1000 characters')
    .describe('Your address, one line per line, on statements'),
  statementPrefix: z
    .string()
    .trim()
    .regex(/^[A-Z0-9]{1,12}$/, 'Capital letters and digits, 1 to 12 of them, like ST')
    .describe('Statement numbers read PREFIX-YYYY-NNNN'),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  sessionTimeoutHours: 8,
  lowMarginThreshold: 0.2,
  apiTokenMaxDays: TOKEN_DAYS.max,
  requireTwoFactor: false,
  mspName: '',
  mspAddress: '',
  statementPrefix: 'ST',
};

export { LOGO_MAX_BYTES };

export const Logo = z.object({
  contentType: z.enum(['image/png', 'image/jpeg']),
  sha256: z.string(),
  base64: z.string(),
});

export const settingsChannels = {
  'settings.get': channel({
    summary: 'Console settings',
    kind: 'read',
    permission: 'settings.manage',
    input: z.object({}).strict(),
    output: Settings,
  }),
  'settings.update': channel({
    summary: 'Change console settings',
    kind: 'write',
    permission: 'settings.manage',
    input: Settings.partial().strict(),
    output: Settings,
  }),
  'settings.logo': channel({
    summary: 'The logo statements show, if one is set',
    kind: 'read',
    permission: 'settings.manage',
    input: z.object({}).strict(),
    output: z.object({ logo: Logo.nullable() }),
  }),
  'settings.setLogo': channel({
    summary: 'Set (a PNG or JPEG, at most 512 KB, base64) or clear (null) the logo statements show',
    kind: 'write',
    permission: 'settings.manage',
    input: z
      .object({
        base64: z
          .base64()
          .max(Math.ceil(LOGO_MAX_BYTES / 3) * 4 + 4)
          .nullable(),
      })
      .strict(),
    output: z.object({ logo: Logo.nullable() }),
  }),
};
