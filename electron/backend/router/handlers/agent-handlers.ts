import type { AgentsService } from '../../services/agents-service';
import type { HandlerGroup } from '../handler';

export function agentHandlers(agents: AgentsService): HandlerGroup {
  return {
    'agents.list': (input, { principal, scope }) => agents.list(principal, scope, input),
    'agents.import': (input, { principal, scope }) => agents.import(principal, scope, input),
    'agents.get': (ref, { scope }) => agents.get(scope, ref),
    'agents.create': (input, { principal, scope }) => agents.create(principal, scope, input),
    'agents.update': (input, { principal, scope }) => agents.update(principal, scope, input),
    'agents.assign': (input, { principal, scope }) => ({ agents: agents.assign(principal, scope, input) }),
    'agents.unassign': (input, { principal, scope }) => ({
      agents: agents.unassign(principal, scope, input),
    }),
    'agents.delete': ({ id }, { principal, scope }) => {
      agents.delete(principal, scope, id);
      return { deleted: true as const };
    },
  };
}
