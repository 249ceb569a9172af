import type { AliasesService } from '../../services/aliases-service';
import type { HandlerGroup } from '../handler';

export function aliasHandlers(aliases: AliasesService): HandlerGroup {
  return {
    'aliases.list': (input, { scope }) => aliases.list(scope, input),
    'aliases.add': (input, { principal, scope }) => aliases.add(principal, scope, input),
    'aliases.remove': (input, { principal }) => {
      aliases.remove(principal, input);
      return { removed: true as const };
    },
  };
}
