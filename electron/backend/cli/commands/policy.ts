import type { Policy } from '../../../../shared/contract/policies';
import { CliFailure, callAsOwner, formatTable, requiredArg } from '../cli-context';
import { type Command, type CommandArgs, str } from '../command';
import { bySlug } from './org';

const row = (policy: Policy) => ({
  id: policy.id,
  name: policy.name,
  kind: policy.kind,
  enabled: policy.enabled ? 'yes' : 'no',
  version: `v${policy.version}`,
});
const COLUMNS = ['id', 'name', 'kind', 'enabled', 'version'];

function configOf(values: CommandArgs['values'], kind?: string): unknown {
  const text = str(values.config);
  if (text === undefined) return undefined;
  try {
    const config = JSON.parse(text) as Record<string, unknown>;
    return kind ? { kind, ...config } : config;
  } catch {
    throw new CliFailure({ code: 'VALIDATION', message: '--config is not valid JSON.' }, 2);
  }
}

const idArg = (positionals: string[]) => requiredArg(positionals, 'Name the policy by its id.');

const show = (policy: Policy, json: boolean, io: { out(text: string): void }) =>
  io.out(
    json
      ? JSON.stringify(policy, null, 2)
      : `${policy.name} (${policy.kind}) is at v${policy.version}, ${policy.enabled ? 'enabled' : 'disabled'}.`,
  );

export const policyCommands: Command[] = [
  {
    words: ['policy', 'list'],
    usage: 'policy list --org SLUG [--json]',
    summary: 'An org’s guardrail policies',
    options: { org: { type: 'string' } },
    async run({ values }, { backend, io, json }) {
      const org = await bySlug(backend, str(values.org) ?? '');
      const policies = await callAsOwner(backend, 'policies.list', { orgId: org.id });
      if (json) io.out(JSON.stringify(policies, null, 2));
      else io.out(policies.length === 0 ? 'No policies.' : formatTable(policies.map(row), COLUMNS));
    },
  },
  {
    words: ['policy', 'add'],
    usage:
      "policy add --org SLUG --name N --kind KIND --config '{...}' [--description D] [--disabled] [--json]",
    summary: 'Add a policy: topic_block, pii_redaction, spend_limit, approval_required or tool_allowlist',
    options: {
      org: { type: 'string' },
      name: { type: 'string' },
      kind: { type: 'string' },
      config: { type: 'string' },
      description: { type: 'string' },
      disabled: { type: 'boolean' },
    },
    async run({ values }, { backend, io, json }) {
      const org = await bySlug(backend, str(values.org) ?? '');
      const policy = await callAsOwner(backend, 'policies.create', {
        orgId: org.id,
        name: str(values.name),
        description: str(values.description),
        config: configOf(values, str(values.kind)) ?? { kind: str(values.kind) },
        enabled: values.disabled !== true,
      });
      show(policy, json, io);
    },
  },
  {
    words: ['policy', 'update'],
    usage: "policy update ID [--name N] [--description D] [--config '{...}'] [--json]",
    summary: 'Edit a policy (a new version)',
    options: { name: { type: 'string' }, description: { type: 'string' }, config: { type: 'string' } },
    positionals: 1,
    async run({ values, positionals }, { backend, io, json }) {
      const id = idArg(positionals);
      const current = await callAsOwner(backend, 'policies.get', { id });
      const policy = await callAsOwner(backend, 'policies.update', {
        id,
        name: str(values.name),
        description: str(values.description),
        config: configOf(values, current.kind),
      });
      show(policy, json, io);
    },
  },
  ...(['enable', 'disable'] as const).map(
    (verb): Command => ({
      words: ['policy', verb],
      usage: `policy ${verb} ID [--json]`,
      summary: verb === 'enable' ? 'Turn a policy on' : 'Turn a policy off (kept, with its versions)',
      options: {},
      positionals: 1,
      async run({ positionals }, { backend, io, json }) {
        show(
          await callAsOwner(backend, 'policies.update', {
            id: idArg(positionals),
            enabled: verb === 'enable',
          }),
          json,
          io,
        );
      },
    }),
  ),
  {
    words: ['policy', 'history'],
    usage: 'policy history ID [--json]',
    summary: 'Every version of a policy',
    options: {},
    positionals: 1,
    async run({ positionals }, { backend, io, json }) {
      const policy = await callAsOwner(backend, 'policies.get', { id: idArg(positionals) });
      if (json) io.out(JSON.stringify(policy.versions, null, 2));
      else {
        const rows = policy.versions.map((v) => ({
          version: `v${v.version}`,
          at: v.at,
          by: v.actor,
          change: v.change,
          name: v.name,
          enabled: v.enabled ? 'yes' : 'no',
        }));
        io.out(formatTable(rows, ['version', 'at', 'by', 'change', 'name', 'enabled']));
      }
    },
  },
];
