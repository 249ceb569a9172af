import { z } from 'zod';
import { channel } from './channel';
import { DisplayName, Email, Id, NewPassword, Page, Role } from './fields';

export const SessionUser = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  role: Role,
  boundOrgId: Id.nullable(),
  /** The pages this session may open (every page for owners and admins). */
  pages: z.array(Page),
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
    input: z.object({ email: Email, password: z.string().min(1, 'Enter your password').max(1024) }).strict(),
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
