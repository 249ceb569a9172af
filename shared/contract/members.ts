import * as z from 'zod';
import { channel } from './channel';
import { Email, Id, MembershipRole, Timestamp } from './fields';

export const Member = z.object({
  userId: Id,
  email: z.string(),
  name: z.string(),
  orgId: Id,
  orgSlug: z.string(),
  orgName: z.string(),
  role: MembershipRole,
  since: Timestamp,
});
export type Member = z.infer<typeof Member>;

const Target = z.union([
  z.object({ email: Email, orgId: Id }).strict(),
  z.object({ email: Email, allClientOrgs: z.literal(true) }).strict(),
]);

export const memberChannels = {
  'members.list': channel({
    summary: 'Who holds which role in an org (or in every org you see)',
    kind: 'read',
    permission: 'orgs.read',
    input: z.object({ orgId: Id.optional() }).strict(),
    output: z.array(Member),
  }),
  'members.put': channel({
    summary:
      'Give a user a role in an org, or in every client org (owners and admins); managers up to member in theirs',
    kind: 'write',
    permission: 'members.manage',
    input: z.union([
      z.object({ email: Email, orgId: Id, role: MembershipRole }).strict(),
      z.object({ email: Email, allClientOrgs: z.literal(true), role: MembershipRole }).strict(),
    ]),
    output: z.object({ email: z.string(), role: MembershipRole, changed: z.boolean() }),
  }),
  'members.remove': channel({
    summary: 'Take a user’s membership of an org away; it applies to their very next call',
    kind: 'write',
    permission: 'members.manage',
    input: Target,
    output: z.object({ removed: z.literal(true) }),
  }),
  'members.leave': channel({
    summary: 'Leave an org yourself',
    kind: 'write',
    permission: 'session',
    input: z.object({ orgId: Id }).strict(),
    output: z.object({ left: z.literal(true) }),
  }),
};
