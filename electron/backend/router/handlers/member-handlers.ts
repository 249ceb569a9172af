import type { MembersService } from '../../services/members-service';
import type { HandlerGroup } from '../handler';

export function memberHandlers(members: MembersService): HandlerGroup {
  return {
    'members.list': ({ orgId }, { scope }) => members.list(scope, orgId),
    'members.put': (input, { principal, scope }) => members.put(principal, scope, input),
    'members.remove': (input, { principal, scope }) => {
      members.remove(principal, scope, input);
      return { removed: true as const };
    },
    'members.leave': ({ orgId }, { principal }) => {
      members.leave(principal, orgId);
      return { left: true as const };
    },
  };
}
