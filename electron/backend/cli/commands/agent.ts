import { readFile } from 'node:fs/promises';
import type { Agent } from '../../../../shared/contract/agents';
import { plural } from '../../../../shared/domain/counts';
import { type CliBackend, CliFailure, callAsOwner, formatTable, requiredArg } from '../cli-context';
import { type Command, type CommandArgs, str } from '../command';
import { bySlug } from './org';

const COLUMNS = ['handle', 'name', 'model', 'status', 'org', 'rate'];
const agentRow = (agent: Agent) => ({
  handle: agent.handle,
  name: agent.name,
  model: agent.model,
  status: agent.effectiveStatus.replaceAll('_', ' '),
  org: agent.org?.slug ?? '(unassigned)',
  rate: agent.rate ?? '',
});

const handleArg = (positionals: string[]) => requiredArg(positionals, 'Name the agent by its handle.');

const byHandle = (backend: CliBackend, handle: string) => callAsOwner(backend, 'agents.get', { handle });

const EDIT_OPTIONS = {
  name: { type: 'string' },
  email: { type: 'string' },
  model: { type: 'string' },
  rate: { type: 'string' },
  status: { type: 'string' },
  description: { type: 'string' },
} as const;

const edits = (values: CommandArgs['values']) => ({
  name: str(values.name),
  email: str(values.email),
  model: str(values.model),
  rate: values['clear-rate'] ? null : str(values.rate),
  status: str(values.status),
  description: str(values.description),
});

const show = (agent: Agent, json: boolean, io: { out(text: string): void }, verb: string) =>
  io.out(
    json
      ? JSON.stringify(agent, null, 2)
      : `${verb} ${agent.name} (${agent.handle})${agent.org ? ` in ${agent.org.name}` : ', unassigned'}.`,
  );

export const agentCommands: Command[] = [
  {
    words: ['agent', 'create'],
    usage:
      'agent create --name N --handle H [--email E] [--model M] [--rate R] [--status S] [--description D] [--org SLUG] [--json]',
    summary: 'Register an agent, optionally straight into an org',
    options: { ...EDIT_OPTIONS, handle: { type: 'string' }, org: { type: 'string' } },
    async run({ values }, { backend, io, json }) {
      const slug = str(values.org);
      const agent = await callAsOwner(backend, 'agents.create', {
        ...edits(values),
        handle: str(values.handle),
        orgId: slug ? (await bySlug(backend, slug)).id : undefined,
      });
      show(agent, json, io, 'Created');
    },
  },
  {
    words: ['agent', 'list'],
    usage: 'agent list [--org SLUG | --unassigned] [--search TEXT] [--status S] [--json]',
    summary: 'List agents (all of them; the table shows the first 1000 by name)',
    options: {
      org: { type: 'string' },
      unassigned: { type: 'boolean' },
      search: { type: 'string' },
      status: { type: 'string' },
    },
    async run({ values }, { backend, io, json }) {
      const slug = str(values.org);
      const org = values.unassigned ? 'unassigned' : slug ? (await bySlug(backend, slug)).id : undefined;
      const agents: Agent[] = [];
      for (let page = 1; ; page++) {
        const result = await callAsOwner(backend, 'agents.list', {
          org,
          search: str(values.search),
          status: str(values.status),
          page,
          pageSize: 200,
        });
        agents.push(...result.items);
        if (agents.length >= result.total || result.items.length === 0) break;
      }
      if (json) io.out(JSON.stringify(agents, null, 2));
      else
        io.out(
          agents.length === 0 ? 'No agents.' : formatTable(agents.slice(0, 1000).map(agentRow), COLUMNS),
        );
    },
  },
  {
    words: ['agent', 'import'],
    usage: 'agent import FILE [--dry-run] [--json]',
    summary:
      'Register agents from a CSV file with the header name,handle,email,model,org,rate: all or none; --dry-run only checks',
    options: { 'dry-run': { type: 'boolean' } },
    positionals: 1,
    async run({ values, positionals }, { backend, io, json }) {
      const file = requiredArg(positionals, 'Name the CSV file of agents.');
      const csv = await readFile(file, 'utf8').catch(() => {
        throw new CliFailure({ code: 'NOT_FOUND', message: `Cannot read ${file}.` });
      });
      const dryRun = values['dry-run'] === true;
      const result = await callAsOwner(backend, 'agents.import', { csv, dryRun });
      const bad = result.rows.filter((row) => row.problems.length > 0);
      if (json) io.out(JSON.stringify(result, null, 2));
      if (result.problems.length > 0 || bad.length > 0) {
        const lines = [
          ...result.problems,
          ...bad.map((row) => `line ${row.line}: ${row.problems.join('; ')}`),
        ];
        throw new CliFailure({
          code: 'VALIDATION',
          message: `Nothing imported: ${lines.length === 1 ? 'a problem' : `${lines.length} problems`}.\n${lines.join('\n')}`,
        });
      }
      if (!json)
        io.out(
          dryRun
            ? `${plural(result.rows.length, 'agent')} would be imported; nothing was changed (dry run).`
            : `Imported ${plural(result.rows.length, 'agent')}.`,
        );
    },
  },
  {
    words: ['agent', 'assign'],
    usage: 'agent assign HANDLE --org SLUG [--at ISO8601] [--move] [--json]',
    summary: 'Assign an agent to an org; --move confirms taking it out of another org',
    options: { org: { type: 'string' }, at: { type: 'string' }, move: { type: 'boolean' } },
    positionals: 1,
    async run({ values, positionals }, { backend, io, json }) {
      const agent = await byHandle(backend, handleArg(positionals));
      const org = await bySlug(backend, str(values.org) ?? '');
      try {
        const { agents } = await callAsOwner(backend, 'agents.assign', {
          agentIds: [agent.id],
          orgId: org.id,
          at: str(values.at),
          move: values.move === true,
        });
        show(agents[0] ?? agent, json, io, 'Assigned');
      } catch (error) {
        if (
          error instanceof CliFailure &&
          error.apiError.details &&
          'needsMove' in (error.apiError.details as object)
        ) {
          throw new CliFailure({
            ...error.apiError,
            message: `${error.apiError.message} Add --move to move it.`,
          });
        }
        throw error;
      }
    },
  },
  {
    words: ['agent', 'unassign'],
    usage: 'agent unassign HANDLE [--at ISO8601] [--json]',
    summary: 'Take an agent out of its org',
    options: { at: { type: 'string' } },
    positionals: 1,
    async run({ values, positionals }, { backend, io, json }) {
      const agent = await byHandle(backend, handleArg(positionals));
      const { agents } = await callAsOwner(backend, 'agents.unassign', {
        agentIds: [agent.id],
        at: str(values.at),
      });
      show(agents[0] ?? agent, json, io, 'Unassigned');
    },
  },
  {
    words: ['agent', 'history'],
    usage: 'agent history HANDLE [--json]',
    summary: 'Where an agent was, and when',
    options: {},
    positionals: 1,
    async run({ positionals }, { backend, io, json }) {
      const agent = await byHandle(backend, handleArg(positionals));
      if (json) {
        io.out(JSON.stringify(agent.history, null, 2));
        return;
      }
      const rows = agent.history.map((entry) => ({
        org: entry.org.slug,
        from: entry.from,
        to: entry.to ?? '(now)',
      }));
      io.out(
        rows.length === 0
          ? `${agent.name} has never been assigned.`
          : formatTable(rows, ['org', 'from', 'to']),
      );
    },
  },
  {
    words: ['agent', 'update'],
    usage:
      'agent update HANDLE [--name N] [--email E] [--model M] [--rate R | --clear-rate] [--from YYYY-MM-DD] [--status active|paused|stopped] [--description D] [--json]',
    summary:
      'Edit an agent (the handle never changes); a rate applies from --from, a UTC day (default: today, UTC), earlier months keep theirs',
    options: { ...EDIT_OPTIONS, 'clear-rate': { type: 'boolean' }, from: { type: 'string' } },
    positionals: 1,
    async run({ values, positionals }, { backend, io, json }) {
      const agent = await byHandle(backend, handleArg(positionals));
      show(
        await callAsOwner(backend, 'agents.update', {
          id: agent.id,
          ...edits(values),
          from: str(values.from),
        }),
        json,
        io,
        'Updated',
      );
    },
  },
  {
    words: ['agent', 'delete'],
    usage: 'agent delete HANDLE',
    summary: 'Delete an agent; refused while it is assigned',
    options: {},
    positionals: 1,
    async run({ positionals }, { backend, io }) {
      const agent = await byHandle(backend, handleArg(positionals));
      await callAsOwner(backend, 'agents.delete', { id: agent.id });
      io.out(`Deleted ${agent.name} (${agent.handle}).`);
    },
  },
];
