import type { AgentAlias } from '../../../../shared/contract/aliases';
import { type CliBackend, callAsOwner, formatTable, requiredArg } from '../cli-context';
import { type Command, type CommandArgs, str } from '../command';

const IDENTITY_OPTIONS = {
  source: { type: 'string' },
  kind: { type: 'string' },
  value: { type: 'string' },
} as const;
const IDENTITY_USAGE =
  '--source orgdeck|openai|anthropic|litellm --kind handle|api_key|project|workspace|user|team --value V';

// The contract's schema checks them: a missing or unknown one is a VALIDATION error naming the field.
const identity = (values: CommandArgs['values']) => ({
  source: str(values.source),
  kind: str(values.kind),
  value: str(values.value),
});

const byHandle = (backend: CliBackend, handle: string) => callAsOwner(backend, 'agents.get', { handle });

const aliasRow = (alias: AgentAlias) => ({
  agent: alias.agent.handle,
  source: alias.source,
  kind: alias.kind,
  value: alias.value,
});

export const agentAliasCommands: Command[] = [
  {
    words: ['agent', 'alias', 'add'],
    usage: `agent alias add HANDLE ${IDENTITY_USAGE} [--json]`,
    summary:
      'Map an API key, project, workspace, user or team of a provider’s usage exports, or a handle no agent has in Orgdeck usage files (--source orgdeck --kind handle), to an agent',
    options: IDENTITY_OPTIONS,
    positionals: 1,
    async run({ values, positionals }, { backend, io, json }) {
      const agent = await byHandle(backend, requiredArg(positionals, 'Name the agent by its handle.'));
      const alias = await callAsOwner(backend, 'aliases.add', { agentId: agent.id, ...identity(values) });
      io.out(
        json
          ? JSON.stringify(alias, null, 2)
          : `${alias.source} ${alias.kind} ${alias.value} now counts as ${agent.name} (${agent.handle}).`,
      );
    },
  },
  {
    words: ['agent', 'alias', 'list'],
    usage: 'agent alias list [HANDLE] [--json]',
    summary: 'The provider identities and old handles mapped to agents (one agent’s with HANDLE)',
    options: {},
    positionals: 1,
    async run({ positionals }, { backend, io, json }) {
      const handle = positionals[0];
      const agentId = handle ? (await byHandle(backend, handle)).id : undefined;
      const aliases = await callAsOwner(backend, 'aliases.list', { agentId });
      if (json) io.out(JSON.stringify(aliases, null, 2));
      else
        io.out(
          aliases.length === 0
            ? 'No aliases.'
            : formatTable(aliases.map(aliasRow), ['agent', 'source', 'kind', 'value']),
        );
    },
  },
  {
    words: ['agent', 'alias', 'remove'],
    usage: `agent alias remove ${IDENTITY_USAGE}`,
    summary: 'Unmap a provider identity or old handle (usage already imported stays where it was counted)',
    options: IDENTITY_OPTIONS,
    async run({ values }, { backend, io }) {
      const unmapped = identity(values);
      await callAsOwner(backend, 'aliases.remove', unmapped);
      io.out(`Removed the alias for ${unmapped.source} ${unmapped.kind} ${unmapped.value}.`);
    },
  },
];
