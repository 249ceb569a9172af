import * as z from 'zod';
import { channel } from './channel';
import { DisplayName, Email, Id, MembershipRole, NewPassword, Page, Role, Timestamp } from './fields';

export const User = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  role: Role,
  boundOrgId: Id.nullable().describe('The one org a user holding exactly one membership is locked to'),
  boundOrgName: z.string().nullable(),
  memberships: z.array(
    z.object({ orgId: Id, orgSlug: z.string(), orgName: z.string(), role: MembershipRole }),
  ),
  allClientOrgsRole: MembershipRole.nullable().describe('The role of a user who serves every client org'),
  pages: z.array(Page),
  twoFactor: z.boolean().describe('Whether the user signs in with a second factor'),
  disabled: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type User = z.infer<typeof User>;

const UserRef = z.object({ id: Id }).strict();
const Pages = z.array(Page).max(6).describe('Pages a user may open; ignored for owners and admins');
const Memberships = z
  .array(z.object({ orgId: Id, role: MembershipRole }).strict())
  .max(10_000)
  .refine((list) => new Set(list.map((m) => m.orgId)).size === list.length, 'An org is listed twice')
  .describe('Every membership the user holds (replaces them); only for users');
const BoundOrg = Id.nullable()
  .optional()
  .describe('Kept for older clients: one member membership of this org (replaces the others)');

export const userChannels = {
  'users.list': channel({
    summary: 'Console users',
    kind: 'read',
    permission: 'users.manage',
    input: z.object({ search: z.string().trim().max(200).optional() }).strict(),
    output: z.array(User),
  }),
  'users.create': channel({
    summary: 'Create a console user',
    kind: 'write',
    permission: 'users.manage',
    input: z
      .object({
        email: Email,
        name: DisplayName,
        role: Role,
        boundOrgId: BoundOrg,
        memberships: Memberships.optional(),
        allClientOrgsRole: MembershipRole.nullable().optional(),
        pages: Pages.optional(),
        password: NewPassword,
      })
      .strict(),
    output: User,
  }),
  'users.update': channel({
    summary: 'Change a user’s name, role, memberships or page permissions',
    kind: 'write',
    permission: 'users.manage',
    input: z
      .object({
        id: Id,
        name: DisplayName.optional(),
        role: Role.optional(),
        boundOrgId: BoundOrg,
        memberships: Memberships.optional(),
        allClientOrgsRole: MembershipRole.nullable().optional(),
        pages: Pages.optional(),
      })
      .strict(),
    output: User,
  }),
  'users.disable': channel({
    summary: 'Disable a user: their sessions end and they cannot sign in',
    kind: 'write',
    permission: 'users.manage',
    input: UserRef,
    output: User,
  }),
  'users.enable': channel({
    summary: 'Let a disabled user sign in again',
    kind: 'write',
    permission: 'users.manage',
    input: UserRef,
    output: User,
  }),
  'users.resetPassword': channel({
    summary: 'Set a new password for a user; their sessions end',
    kind: 'write',
    permission: 'users.manage',
    input: z.object({ id: Id, password: NewPassword }).strict(),
    output: User,
  }),
  'users.delete': channel({
    summary: 'Delete a user',
    kind: 'write',
    permission: 'users.manage',
    input: UserRef,
    output: z.object({ deleted: z.literal(true) }),
  }),
  'ownership.transfer': channel({
    summary: 'Make another user the owner; you become an admin',
    kind: 'write',
    permission: 'ownership.transfer',
    input: z.object({ userId: Id }).strict(),
    output: z.object({ from: User, to: User }),
  }),
};
