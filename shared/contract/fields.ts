import { z } from 'zod';
import { isDecimalAmount } from '../domain/money';
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

export const BillingMode = z.enum(['prorated', 'full_month']);

export const Page = z.enum(PAGES);

export const ContactEmail = z.union([z.literal(''), Email]);

export const Description = z.string().trim().max(2000, 'A description is at most 2000 characters');
