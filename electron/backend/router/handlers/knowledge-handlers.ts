import type { KnowledgeService } from '../../services/knowledge-service';
import type { HandlerGroup } from '../handler';

export function knowledgeHandlers(knowledge: KnowledgeService): HandlerGroup {
  return {
    'knowledge.list': ({ orgId }, { scope }) => knowledge.list(scope, orgId),
    'knowledge.get': ({ id }, { scope }) => knowledge.get(scope, id),
    'knowledge.add': (input, { principal, scope }) => knowledge.add(principal, scope, input),
    'knowledge.importFile': (input, { principal, scope }) => knowledge.importFile(principal, scope, input),
    'knowledge.update': (input, { principal, scope }) => knowledge.update(principal, scope, input),
    'knowledge.move': ({ id, orgId }, { principal, scope }) => knowledge.move(principal, scope, id, orgId),
    'knowledge.delete': ({ id }, { principal, scope }) => {
      knowledge.delete(principal, scope, id);
      return { deleted: true as const };
    },
    'knowledge.share': ({ id, orgs }, { principal, scope }) => knowledge.share(principal, scope, id, orgs),
    'knowledge.unshare': ({ id, orgs }, { principal, scope }) =>
      knowledge.unshare(principal, scope, id, orgs),
    'knowledge.search': ({ orgId, query, limit }, { scope }) => knowledge.search(scope, orgId, query, limit),
    'knowledge.visibleToAgent': ({ agentId }, { scope }) => knowledge.visibleToAgent(scope, agentId),
    'knowledge.overview': (_input, { scope }) => knowledge.overview(scope),
  };
}
