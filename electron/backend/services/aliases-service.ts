import type { ChannelParsedInput } from '../../../shared/contract';
import type { AgentAlias } from '../../../shared/contract/aliases';
import { AppError } from '../../../shared/contract/envelope';
import { type AliasIdentity, HANDLE_ALIAS } from '../../../shared/domain/usage-identity';
import type { Clock } from '../store/clock';
import type { OrgScope } from '../store/org-scope';
import type { AgentAliasView } from '../store/repos/agent-aliases-repo';
import type { Store } from '../store/store';
import type { AuditLog } from './audit-log';
import type { Principal } from './principal';

const toAlias = (row: AgentAliasView): AgentAlias => ({
  source: row.source,
  kind: row.kind,
  value: row.value,
  agent: { id: row.agent_id, handle: row.agent_handle, name: row.agent_name },
  createdAt: row.created_at,
});

const identityOf = ({ source, kind, value }: AliasIdentity): AliasIdentity => ({ source, kind, value });
const named = ({ source, kind, value }: AliasIdentity) => `${source} ${kind.replace('_', ' ')} ${value}`;

/**
 * Which agent each identity in providers' usage exports stands for, and each handle our own usage
 * files name that no agent has.
 */
export function createAliasesService(store: Store, clock: Clock, audit: AuditLog) {
  return {
    list(scope: OrgScope, { agentId }: ChannelParsedInput<'aliases.list'>): AgentAlias[] {
      if (agentId !== undefined && !store.agents.get(scope, agentId))
        throw new AppError('NOT_FOUND', 'No such agent.');
      return store.agentAliases.list(agentId).map(toAlias);
    },

    add(actor: Principal, scope: OrgScope, input: ChannelParsedInput<'aliases.add'>): AgentAlias {
      return store.transaction(() => {
        const agent = store.agents.get(scope, input.agentId);
        if (!agent) throw new AppError('NOT_FOUND', 'No such agent.');
        const identity = identityOf(input);
        const taken = store.agentAliases.find(identity);
        if (taken?.agent_id === agent.id) return toAlias(taken);
        const owner =
          identity.source === HANDLE_ALIAS.source ? store.agents.nameOfHandle(identity.value) : undefined;
        // The agent that has the handle takes its rows: an alias for it would never count.
        if (owner !== undefined)
          throw new AppError(
            'CONFLICT',
            `${identity.value} is the handle of ${owner}: its rows already count as that agent’s.`,
            { issues: [{ path: ['value'], message: `This is ${owner}’s own handle` }] },
          );
        if (taken)
          throw new AppError(
            'CONFLICT',
            `The ${named(identity)} already stands for ${taken.agent_name} (${taken.agent_handle}); remove that alias first.`,
            { agent: taken.agent_handle },
          );
        store.agentAliases.insert({ ...identity, agent_id: agent.id, created_at: clock.now().toISOString() });
        audit.record(actor, {
          action: 'agent.alias_added',
          orgId: agent.org_id,
          target: { type: 'agent', id: agent.id },
          summary: { after: identity },
        });
        return toAlias(store.agentAliases.find(identity) as AgentAliasView);
      });
    },

    remove(actor: Principal, input: ChannelParsedInput<'aliases.remove'>): void {
      store.transaction(() => {
        const identity = identityOf(input);
        const alias = store.agentAliases.find(identity);
        if (!alias) throw new AppError('NOT_FOUND', `No alias for the ${named(identity)}.`);
        store.agentAliases.remove(identity);
        audit.record(actor, {
          action: 'agent.alias_removed',
          orgId: alias.agent_org_id,
          target: { type: 'agent', id: alias.agent_id },
          summary: { before: identity },
        });
      });
    },
  };
}

export type AliasesService = ReturnType<typeof createAliasesService>;
