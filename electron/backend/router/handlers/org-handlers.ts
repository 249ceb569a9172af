import type { OrgsService } from '../../services/orgs-service';
import type { HandlerGroup } from '../handler';

export function orgHandlers(orgs: OrgsService): HandlerGroup {
  return {
    'orgs.list': ({ search }, { scope }) => orgs.list(scope, search),
    'orgs.create': (input) => orgs.create(input),
    'orgs.rename': ({ id, name }, { scope }) => orgs.rename(scope, id, name),
  };
}
