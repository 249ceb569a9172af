import type { ApiTokensService } from '../../services/api-tokens-service';
import type { HandlerGroup } from '../handler';

export function tokenHandlers(tokens: ApiTokensService): HandlerGroup {
  return {
    'tokens.list': ({ userId }, { principal }) => tokens.list(principal, userId),
    'tokens.create': (input, { principal, session }) =>
      tokens.create(principal, input, session.clientAddress),
    'tokens.revoke': ({ id }, { principal }) => tokens.revoke(principal, id),
    'session.signOutEverywhere': ({ userId }, { principal, session }) => {
      const ended = tokens.signOutEverywhere(principal, userId);
      // The caller's own session ended too: its cookie goes with it.
      if (userId === undefined || userId === principal.userId) session.setToken(null);
      return ended;
    },
  };
}
