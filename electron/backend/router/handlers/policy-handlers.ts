import type { PoliciesService } from '../../services/policies-service';
import type { HandlerGroup } from '../handler';

export function policyHandlers(policies: PoliciesService): HandlerGroup {
  return {
    'policies.list': ({ orgId }, { scope }) => policies.list(scope, orgId),
    'policies.coverage': (_input, { scope }) => policies.coverage(scope),
    'policies.get': ({ id }, { scope }) => policies.get(scope, id),
    'policies.create': (input, { principal, scope }) => policies.create(principal, scope, input),
    'policies.update': (input, { principal, scope }) => policies.update(principal, scope, input),
    'policies.restore': ({ id, version, expectedVersion }, { principal, scope }) =>
      policies.restore(principal, scope, id, version, expectedVersion),
    'policies.delete': ({ id }, { principal, scope }) => {
      policies.delete(principal, scope, id);
      return { deleted: true as const };
    },
    'policies.copy': ({ id, orgIds }, { principal, scope }) => policies.copy(principal, scope, id, orgIds),
    'policies.defaults': ({ orgId }, { scope }) => policies.defaults(scope, orgId),
    'policies.setDefaults': (input, { principal, scope }) => policies.setDefaults(principal, scope, input),
  };
}
