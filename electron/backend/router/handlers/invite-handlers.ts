import type { AuthService } from '../../services/auth-service';
import type { InvitesService } from '../../services/invites-service';
import type { HandlerGroup } from '../handler';

export function inviteHandlers(invites: InvitesService, auth: AuthService): HandlerGroup {
  return {
    'invites.create': (input, { principal, scope }) => invites.create(principal, scope, input),
    'invites.list': ({ orgId }, { scope }) => invites.list(scope, orgId),
    'invites.revoke': ({ id }, { principal, scope }) => invites.revoke(principal, scope, id),
    'invites.accept': async (input, { session }) => {
      const { token, user } = await invites.accept(input);
      session.setToken(token);
      return { user };
    },
    'invites.join': ({ code }, { principal, session }) => {
      invites.join(principal, code);
      const user = auth.currentUser(session.token);
      if (!user) throw new Error('The session ended while joining.');
      return { user };
    },
  };
}
