import * as z from 'zod';
import { channel } from './channel';
import { DisplayName, Email, Id, MembershipRole, NewPassword, Page, Role } from './fields';

export const SessionUser = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  role: Role,
  /** The one org a `user` holding exactly one is locked to (the switcher shows "Locked"); else null. */
  boundOrgId: Id.nullable(),
  /** The live orgs a `user` holds, with the role in effect in each; empty for console roles. */
  memberships: z.array(z.object({ orgId: Id, role: MembershipRole })),
  /** The pages this session may open (every page for owners and admins). */
  pages: z.array(Page),
  /** Two-factor sign-in is required and this user has none yet: they enrol before anything else. */
  mustEnrolTwoFactor: z.boolean(),
});
export type SessionUser = z.infer<typeof SessionUser>;

const SignedIn = z.object({ user: SessionUser });

export const sessionChannels = {
  'session.current': channel({
    summary: 'Who is signed in, and whether the first-run setup is still to be done',
    kind: 'read',
    permission: 'public',
    input: z.object({}).strict(),
    output: z.object({
      user: SessionUser.nullable(),
      needsSetup: z.boolean(),
      /** Setup over HTTP asks for the one-time code `orgdeck serve` printed on its console. */
      setupCodeRequired: z.boolean(),
    }),
  }),
  'session.signIn': channel({
    summary: 'Sign in with email and password',
    kind: 'write',
    permission: 'public',
    input: z
      .object({
        email: Email,
        password: z.string().min(1, 'Enter your password').max(1024),
        totp: z
          .string()
          .trim()
          .max(64)
          .optional()
          .describe('The authenticator code (or a recovery code) of a user with two-factor sign-in'),
      })
      .strict(),
    output: SignedIn,
  }),
  'session.signOut': channel({
    summary: 'End the current session',
    kind: 'write',
    permission: 'session',
    input: z.object({}).strict(),
    output: z.object({ signedOut: z.literal(true) }),
  }),
  'setup.init': channel({
    summary: 'First run: create the owner account and the owner organization, then sign in',
    kind: 'write',
    permission: 'public',
    input: z
      .object({
        ownerEmail: Email,
        ownerName: DisplayName,
        password: NewPassword,
        orgName: DisplayName.optional(),
        /** The one-time code `orgdeck serve` printed; ignored where none was issued (desktop, CLI). */
        setupCode: z.string().trim().max(64, 'The setup code is shorter than that.').optional(),
      })
      .strict(),
    output: SignedIn,
  }),
};
