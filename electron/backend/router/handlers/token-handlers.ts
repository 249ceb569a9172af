import type { ApiTokensService } from '../../services/api-tokens-service';
import type { HandlerGroup } from '../handler';

export function tokenHandlers(tokens: ApiTokensService): HandlerGroup {
  return {
    'tokens.list': ({ userId }, { principal }) => tokens.list(principal, userId),
    'tokens.create': (input, { principal }) => tokens.create(principal, input),
    'tokens.revoke': ({ id }, { principal }) => tokens.revoke(principal, id),
  };
}
