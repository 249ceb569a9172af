import type { UsersService } from '../../services/users-service';
import type { HandlerGroup } from '../handler';

export function userHandlers(users: UsersService): HandlerGroup {
  return {
    'users.list': ({ search }) => users.list(search),
    'users.create': (input, { principal, scope }) => users.create(principal, scope, input),
    'users.update': (input, { principal, scope }) => users.update(principal, scope, input),
    'users.disable': ({ id }, { principal }) => users.setDisabled(principal, id, true),
    'users.enable': ({ id }, { principal }) => users.setDisabled(principal, id, false),
    'users.resetPassword': ({ id, password }, { principal }) => users.resetPassword(principal, id, password),
    'users.delete': ({ id }, { principal }) => {
      users.delete(principal, id);
      return { deleted: true as const };
    },
    'ownership.transfer': ({ userId }, { principal }) => users.transferOwnership(principal, userId),
  };
}
