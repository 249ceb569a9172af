import * as z from 'zod';
import { channel } from './channel';
import { DisplayName, Email, Id, MembershipRole, NewPassword, Timestamp } from './fields';
import { SessionUser } from './session';

export const INVITE_STATUSES = ['pending', 'used', 'expired', 'revoked'] as const;

export const Invite = z.object({
  id: Id,
  email: z.string(),
  memberships: z.array(
    z.object({ orgId: Id, orgSlug: z.string(), orgName: z.string(), role: MembershipRole }),
  ),
  invitedBy: z.string(),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  status: z.enum(INVITE_STATUSES),
});
export type Invite = z.infer<typeof Invite>;

const Code = z.string().trim().min(1, 'Enter the invite code').max(200);

export const inviteChannels = {
  'invites.create': channel({
    summary: 'Invite an email into one or more memberships; the code is shown once, only its hash is kept',
    kind: 'write',
    permission: 'members.manage',
    input: z
      .object({
        email: Email,
        memberships: z
          .array(z.object({ orgId: Id, role: MembershipRole }).strict())
          .min(1, 'Choose at least one organization')
          .max(100)
          .refine((list) => new Set(list.map((m) => m.orgId)).size === list.length, 'An org is listed twice'),
        expiresDays: z.number().int().min(1, 'At least 1 day').max(30, 'At most 30 days').default(7),
      })
      .strict(),
    output: z.object({ invite: Invite, code: z.string().describe('Shown this once; it is not stored') }),
  }),
  'invites.list': channel({
    summary: 'Invites into the orgs whose members you manage, newest first',
    kind: 'read',
    permission: 'members.manage',
    input: z.object({ orgId: Id.optional() }).strict(),
    output: z.array(Invite),
  }),
  'invites.revoke': channel({
    summary: 'Revoke a pending invite: its code stops working',
    kind: 'write',
    permission: 'members.manage',
    input: z.object({ id: Id }).strict(),
    output: Invite,
  }),
  'invites.accept': channel({
    summary: 'Accept an invite with a new account (its password), and sign in',
    kind: 'write',
    permission: 'public',
    input: z.object({ code: Code, name: DisplayName, password: NewPassword }).strict(),
    output: z.object({ user: SessionUser }),
  }),
  'invites.join': channel({
    summary: 'Accept an invite into the account you are signed in with (the invite’s email)',
    kind: 'write',
    permission: 'session',
    input: z.object({ code: Code }).strict(),
    output: z.object({ user: SessionUser }),
  }),
};
