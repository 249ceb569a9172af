import { z } from 'zod';
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
    .min(-1, 'At least -100 %')
    .max(1, 'At most 100 %')
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
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  sessionTimeoutHours: 8,
  lowMarginThreshold: 0.2,
  apiTokenMaxDays: TOKEN_DAYS.max,
  requireTwoFactor: false,
};

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
};
