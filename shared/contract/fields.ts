import * as z from 'zod';
import { isDecimalAmount } from '../domain/money';
import { MONTH_PATTERN, monthStart } from '../domain/months';
import { passwordProblem } from '../domain/password';
import { MEMBERSHIP_ROLES, PAGES, ROLES } from '../domain/permissions';
import { isSlug, SLUG_MAX, SLUG_RULE } from '../domain/slug';
import { isTimeZone } from '../domain/timezone';

/** Field schemas shared by several channels, so a rule is written once. */
export const Id = z.uuid({ message: 'Must be an id' });

export const Slug = z
  .string()
  .max(SLUG_MAX, `A slug is at most ${SLUG_MAX} characters`)
  .refine(isSlug, { message: `A slug uses ${SLUG_RULE}` });

export const DisplayName = z
  .string()
  .trim()
  .min(1, 'A name is required')
  .max(100, 'A name is at most 100 characters');

export const Email = z
  .string()
  .trim()
  .max(254, 'An email address is at most 254 characters')
  .pipe(z.email({ message: 'Enter a valid email address' }));

export const NewPassword = z
  .string()
  .max(1024, 'A password is at most 1024 characters')
  .superRefine((value, ctx) => {
    const problem = passwordProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const Rate = z
  .string()
  .refine((value) => isDecimalAmount(value, 2), {
    message: 'A rate is a decimal amount with at most 2 decimals, like 40.00',
  })
  .describe('USD per agent per month, as a decimal string');

export const TimeZone = z
  .string()
  .max(64)
  .refine(isTimeZone, { message: 'Use an IANA time zone such as Europe/Berlin or UTC' });

export const Role = z.enum(ROLES);

export const MembershipRole = z.enum(MEMBERSHIP_ROLES);

export const Timestamp = z.string().describe('UTC, ISO 8601');

/**
 * Every date a caller sends lies from 2000 through 2100: outside that range it is a typo or an
 * attempt to rewrite all of history (a year 0001 assignment, a month 0000-01), never a real change.
 */
const FIRST_INSTANT = Date.UTC(2000, 0, 1);
const END_INSTANT = Date.UTC(2101, 0, 1);
const SANE_RANGE = { message: 'Use a date from 2000 through 2100' };
const inSaneRange = (epochMs: number) => epochMs >= FIRST_INSTANT && epochMs < END_INSTANT;

/** A point in time a caller sends: ISO 8601 with a zone. */
export const DateTime = z.iso
  .datetime({ offset: true, message: 'Use an ISO 8601 time such as 2026-03-01T00:00:00Z' })
  .refine((value) => inSaneRange(Date.parse(value)), SANE_RANGE);

/** A calendar day a caller sends, as YYYY-MM-DD. */
export const Day = z.iso
  .date({ message: 'Use a real calendar day as YYYY-MM-DD' })
  .refine((value) => inSaneRange(Date.parse(`${value}T00:00:00Z`)), SANE_RANGE);

/** A calendar month a caller sends, as YYYY-MM. */
export const Month = z
  .string()
  .regex(MONTH_PATTERN, 'Use a month as YYYY-MM')
  .refine((value) => inSaneRange(monthStart(value)), SANE_RANGE);

export const BillingMode = z.enum(['prorated', 'full_month']);

/** A markup in percent, 0 to 1000 with at most 2 decimals, as a decimal string ("12.5"). */
export const MarkupPercent = z
  .string()
  .regex(/^\d{1,4}(\.\d{1,2})?$/, 'A markup is a percent with at most 2 decimals, like 20 or 12.5')
  .refine((value) => Number.parseFloat(value) <= 1000, 'A markup is at most 1000%')
  .describe('Percent on top of cost, as a decimal string');

/** The UTC day a dated billing change takes effect (default: today, UTC). */
export const EffectiveFrom = Day.optional().describe(
  'The UTC day rates, billing mode and usage terms change from (default: today, UTC); a past day only for owners and admins',
);

export const Page = z.enum(PAGES);

export const ContactEmail = z.union([z.literal(''), Email]);

export const Description = z.string().trim().max(2000, 'A description is at most 2000 characters');
