import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import type { ChannelParsedInput } from '../../../shared/contract';
import {
  AGENT_FIGURE_SORTS,
  AGENT_IMPORT_COLUMNS,
  type Agent,
  type AgentImportRow,
  type AgentListItem,
  type AgentMonthFigures,
  type Assignment,
  agentChannels,
  type RateInEffect,
} from '../../../shared/contract/agents';
import { AppError } from '../../../shared/contract/envelope';
import { type Timeline, valueOn } from '../../../shared/domain/billing-terms';
import { plural } from '../../../shared/domain/counts';
import { parseCsv } from '../../../shared/domain/csv';
import { toScaled } from '../../../shared/domain/decimal';
import { formatMicros, parseMicros } from '../../../shared/domain/money';
import { monthOf } from '../../../shared/domain/months';
import { allows, allowsIn } from '../../../shared/domain/permissions';
import type { Clock } from '../store/clock';
import type { OrgScope } from '../store/org-scope';
import type { AgentRow, AgentView, AssignmentRow } from '../store/repos/agents-repo';
import type { Store } from '../store/store';
import { type AuditLog, changes } from './audit-log';
import { refuseBackdating } from './effective-date';
import { liveOrg } from './live-org';
import type { Principal } from './principal';

/** How far ahead of the clock an effective time may be, for clocks a little apart. */
const FUTURE_SLACK_MS = 60_000;

export function toAgent(row: AgentView): Agent {
  const org =
    row.org_id && row.org_slug && row.org_name
      ? { id: row.org_id, slug: row.org_slug, name: row.org_name }
      : null;
  return {
    id: row.id,
    handle: row.handle,
    name: row.name,
    email: row.email,
    model: row.model,
    status: row.status,
    effectiveStatus: org && row.org_active === 0 ? 'stopped_by_org' : row.status,
    description: row.description,
    rate: row.rate_micros === null ? null : formatMicros(row.rate_micros, 2),
    org,
    assignedSince: row.assigned_since,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const toAssignment = (row: AssignmentRow): Assignment => ({
  org: { id: row.org_id, slug: row.org_slug, name: row.org_name },
  from: row.from_at,
  to: row.to_at,
});

type Editable = Omit<ChannelParsedInput<'agents.update'>, 'id' | 'handle'>;

function applyEdits(row: AgentRow, edits: Editable): AgentRow {
  return {
    ...row,
    name: edits.name ?? row.name,
    email: edits.email ?? row.email,
    model: edits.model ?? row.model,
    status: edits.status ?? row.status,
    description: edits.description ?? row.description,
  };
}

const view = (row: AgentRow) => ({
  name: row.name,
  email: row.email,
  model: row.model,
  status: row.status,
  description: row.description,
  rate: row.rate_micros === null ? null : formatMicros(row.rate_micros, 2),
});

/** Rates are money: owners, admins and billing admins only. */
function mayPrice(actor: Principal): void {
  if (!allows(actor, 'billing.manage'))
    throw new AppError('FORBIDDEN', 'Only owners, admins and billing admins set rates.');
}

/** What the agent list shows of billing, computed where the margins are. */
export interface AgentBilling {
  agentFigures(scope: OrgScope, month: string, orgId?: string): (agentId: string) => AgentMonthFigures;
  /** The agent's own rate today from the billing snapshot (null: its org's): no query per agent. */
  ownRate(agent: AgentRow): number | null;
  rateInEffect(agent: AgentRow): z.infer<typeof RateInEffect> | null;
  lowMarginThreshold(): number;
}

type FigureSort = (typeof AGENT_FIGURE_SORTS)[number];
const isFigureSort = (sort: string): sort is FigureSort =>
  (AGENT_FIGURE_SORTS as readonly string[]).includes(sort);

/** Exact amounts compare as scaled integers; an absent value sorts last whichever the direction. */
const moneyKey = (value: string | undefined) => (value === undefined ? null : toScaled(value, 6));
function sortKey(item: AgentListItem, sort: FigureSort): bigint | number | null {
  switch (sort) {
    case 'rate':
      return moneyKey(item.rateInEffect?.amount);
    case 'cost':
      return moneyKey(item.figures?.cost);
    case 'tokens':
      return item.figures?.tokens ?? null;
    case 'margin':
      return item.figures?.margin ?? null;
  }
}
const byName = new Intl.Collator();

function sortByFigure(items: AgentListItem[], sort: FigureSort, direction: 'asc' | 'desc') {
  const sign = direction === 'asc' ? 1 : -1;
  return items
    .map((item) => ({ item, key: sortKey(item, sort) }))
    .sort((a, b) => {
      if (a.key === null || b.key === null) return a.key === b.key ? 0 : a.key === null ? 1 : -1;
      const order = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
      return sign * order || byName.compare(a.item.name, b.item.name) || a.item.id.localeCompare(b.item.id);
    })
    .map(({ item }) => item);
}

export function createAgentsService(
  store: Store,
  clock: Clock,
  audit: AuditLog,
  billing: AgentBilling,
  everyOrg: OrgScope,
) {
  const today = () => clock.now().toISOString().slice(0, 10);
  /**
   * Handles are one namespace across orgs: asked of every org's agents and aliases, which a
   * client's manager does not see (row-level security on PostgreSQL), and never named to them.
   */
  const handleInUse = (handle: string) =>
    store.readAsServer(everyOrg, () => store.agents.handleInUse(handle));

  /** The agent's own rate: the agents row's from the beginning, then its dated changes. */
  function rateTimeline(row: AgentRow): Timeline<number | null> {
    return {
      base: row.rate_micros,
      changes: store.billingTerms
        .agentRatesOf(row.id)
        .map((change) => ({ from: change.effective_from, value: change.rate_micros })),
    };
  }

  /** The agent with its own rate in effect today (UTC). */
  const present = (row: AgentView): Agent =>
    toAgent({ ...row, rate_micros: valueOn(rateTimeline(row), today()) });

  function visibleAgent(scope: OrgScope, id: string): AgentView {
    const row = store.agents.get(scope, id);
    if (!row) throw new AppError('NOT_FOUND', 'No such agent.');
    return row;
  }

  function effectiveTime(actor: Principal, at: string | undefined): string {
    const now = clock.now();
    if (at === undefined) return now.toISOString();
    const when = new Date(at);
    if (when.getTime() > now.getTime() + FUTURE_SLACK_MS) {
      throw new AppError('VALIDATION', 'The effective time cannot be in the future.', {
        issues: [{ path: ['at'], message: 'Cannot be in the future' }],
      });
    }
    refuseBackdating(actor, when.toISOString(), now.toISOString());
    return when.toISOString();
  }

  /**
   * Ends the agent's current interval and opens one in `orgId` (or none), at `at`. History
   * intervals of one agent never overlap: a change earlier than the agent's last change is refused.
   */
  function reassign(agent: AgentView, orgId: string | null, at: string): void {
    const last = store.agents.history(agent.id).at(-1);
    const boundary = last ? (last.to_at ?? last.from_at) : null;
    if (last && boundary && (last.to_at === null ? at <= boundary : at < boundary)) {
      throw new AppError(
        'CONFLICT',
        `${agent.name}'s history already has a change at ${boundary} (in ${last.org_name}); a change at ${at} would overlap it. Use a later time.`,
        { agentId: agent.id, latestChange: boundary },
      );
    }
    // Usage is placed in an org when it is imported: a change dated before usage already imported
    // would move the agent's fees and leave that usage's cost, and its rebilling, with the old org.
    const placedIn = last && last.to_at === null ? last : null;
    // Up to now: usage is imported for times past, and a month's sums are looked up one by one.
    const now = clock.now().toISOString();
    if (store.usage.agentUsedAfter(agent.id, placedIn?.org_id ?? null, at, now)) {
      throw new AppError(
        'CONFLICT',
        `${agent.name} has usage imported after ${at.slice(0, 10)}, billed to ${placedIn?.org_name ?? 'no organization'}: a change at ${at} would leave it there. Date the change after that usage, or undo its import first.`,
        { agentId: agent.id },
      );
    }
    if (last && last.to_at === null) store.agents.closeInterval(agent.id, at);
    if (orgId) store.agents.openInterval(agent.id, orgId, at);
    store.agents.update({ ...agent, org_id: orgId, updated_at: clock.now().toISOString() });
  }

  // Effective times may precede the org's creation in the console: backfilling history is allowed.
  function assignable(scope: OrgScope, orgId: string) {
    const org = liveOrg(store, scope, orgId);
    if (!org.active)
      throw new AppError('CONFLICT', `${org.name} is inactive: activate it before assigning agents.`);
    return org;
  }

  const reread = (scope: OrgScope, ids: string[]) =>
    ids.map((id) => store.agents.get(scope, id)).flatMap((row) => (row ? [present(row)] : []));

  const service = {
    list(actor: Principal, scope: OrgScope, input: ChannelParsedInput<'agents.list'>) {
      if (input.org === 'unassigned' && !scope.seesAll) {
        throw new AppError('FORBIDDEN', 'Only owners and admins see unassigned agents.');
      }
      if (input.org && input.org !== 'unassigned') liveOrg(store, scope, input.org);
      // Cost and margin are the MSP's: a client's users see neither, nor sort by them.
      const seesMoney = allows(actor, 'billing.read');
      if (!seesMoney && ['cost', 'tokens', 'margin'].includes(input.sort)) {
        throw new AppError('FORBIDDEN', 'Only owners, admins and billing admins see agents’ costs.');
      }
      const month = input.month ?? monthOf(clock.now().getTime());
      const figures = seesMoney
        ? billing.agentFigures(scope, month, input.org === 'unassigned' ? undefined : input.org)
        : null;
      const lowMarginThreshold = seesMoney ? billing.lowMarginThreshold() : null;
      // A page may hold every agent (sorting by a figure): rates come from the snapshot, not a query each.
      const item = (row: AgentView): AgentListItem => ({
        ...toAgent({ ...row, rate_micros: billing.ownRate(row) }),
        rateInEffect: billing.rateInEffect(row),
        figures: figures ? figures(row.id) : null,
      });
      const filter = {
        org: input.org,
        search: input.search || undefined,
        status: input.status,
        direction: input.direction,
      };
      const offset = (input.page - 1) * input.pageSize;
      if (isFigureSort(input.sort)) {
        // Figures are computed, not stored: the matching agents are sorted here, then paged.
        const { rows, total } = store.agents.page(scope, { ...filter, sort: 'name', offset: 0 });
        const sorted = sortByFigure(rows.map(item), input.sort, input.direction);
        const items = sorted.slice(offset, offset + input.pageSize);
        return { items, total, page: input.page, pageSize: input.pageSize, lowMarginThreshold };
      }
      const { rows, total } = store.agents.page(scope, {
        ...filter,
        sort: input.sort,
        limit: input.pageSize,
        offset,
      });
      return {
        items: rows.map(item),
        total,
        page: input.page,
        pageSize: input.pageSize,
        lowMarginThreshold,
      };
    },

    get(scope: OrgScope, ref: ChannelParsedInput<'agents.get'>) {
      const row = 'id' in ref ? store.agents.get(scope, ref.id) : store.agents.getByHandle(scope, ref.handle);
      if (!row) throw new AppError('NOT_FOUND', 'No such agent.');
      // A bound user sees the agent's time in their own org only: where else it was is another tenant's.
      const history = store.agents.history(row.id).filter((entry) => scope.allows(entry.org_id));
      return { ...present(row), history: history.map(toAssignment) };
    },

    create(actor: Principal, scope: OrgScope, input: ChannelParsedInput<'agents.create'>): Agent {
      // A member creates agents in an org they run: elsewhere they could not see them.
      const runs = scope.limitedTo;
      const orgId = input.orgId ?? (!scope.seesAll && runs.length === 1 ? runs[0] : undefined);
      if (!scope.seesAll && !orgId) {
        throw new AppError('VALIDATION', 'Choose the organization the agent joins.', {
          issues: [{ path: ['orgId'], message: 'Choose an organization' }],
        });
      }
      if (input.rate !== undefined && input.rate !== null) mayPrice(actor);
      return store.transaction(() => {
        if (handleInUse(input.handle)) {
          // Handles are unique across orgs; the holder is not named, since it may be another tenant's.
          throw new AppError(
            'CONFLICT',
            'This handle is already taken: handles are unique across all organizations.',
            {
              issues: [{ path: ['handle'], message: 'This handle is taken' }],
            },
          );
        }
        const now = clock.now().toISOString();
        const row = applyEdits(
          {
            id: randomUUID(),
            handle: input.handle,
            name: input.name,
            email: '',
            model: '',
            status: 'active',
            description: '',
            // A new agent's own rate holds from the beginning.
            rate_micros: input.rate === undefined || input.rate === null ? null : parseMicros(input.rate),
            org_id: null,
            created_at: now,
            updated_at: now,
            deleted_at: null,
          },
          input,
        );
        store.agents.insert(row);
        audit.record(actor, {
          action: 'agent.created',
          orgId: null,
          target: { type: 'agent', id: row.id },
          summary: { after: { handle: row.handle, ...view(row) } },
        });
        if (orgId) {
          const org = assignable(scope, orgId);
          reassign(
            { ...row, org_slug: null, org_name: null, org_active: null, assigned_since: null },
            orgId,
            now,
          );
          audit.record(actor, {
            action: 'agent.assigned',
            orgId,
            target: { type: 'agent', id: row.id },
            summary: { handle: row.handle, after: { org: org.slug, from: now } },
          });
        }
        return present(visibleAgent(scope, row.id));
      });
    },

    update(
      actor: Principal,
      scope: OrgScope,
      { id, handle: _immutable, from, ...edits }: ChannelParsedInput<'agents.update'>,
    ): Agent {
      return store.transaction(() => {
        const before = visibleAgent(scope, id);
        const after = applyEdits(before, edits);
        // A rate changes from a day on (default today, UTC): the months before keep theirs.
        const day = from ?? today();
        const rates = rateTimeline(before);
        const rateBefore = valueOn(rates, day);
        const rateAfter =
          edits.rate === undefined ? rateBefore : edits.rate === null ? null : parseMicros(edits.rate);
        // Recorded whenever a rate is given, like an org's terms (orgs-service.ts).
        // Someone who may not set rates can still save a form that repeats today's rate.
        if (edits.rate !== undefined && (rateAfter !== rateBefore || allows(actor, 'billing.manage'))) {
          mayPrice(actor);
          refuseBackdating(actor, day, today());
          const now = clock.now().toISOString();
          store.billingTerms.setAgentRate({
            agent_id: id,
            effective_from: day,
            rate_micros: rateAfter,
            created_at: now,
          });
          audit.record(actor, {
            action: 'agent.rate_changed',
            orgId: before.org_id,
            target: { type: 'agent', id },
            summary: {
              before: { rate: rateBefore === null ? null : formatMicros(rateBefore, 2) },
              after: { from: day, rate: rateAfter === null ? null : formatMicros(rateAfter, 2) },
            },
          });
        }
        const { rate: _money, ...running } = edits;
        const runsIt = before.org_id
          ? allowsIn(actor, 'agents.manage', before.org_id)
          : allows(actor, 'agents.manage');
        if (Object.values(running).some((value) => value !== undefined) && !runsIt) {
          throw new AppError(
            'FORBIDDEN',
            'Your role in this organization does not allow editing its agents.',
          );
        }
        const diff = changes(view(before), view(after));
        if (!diff) return present(visibleAgent(scope, id));
        store.agents.update({ ...after, updated_at: clock.now().toISOString() });
        audit.record(actor, {
          action: 'agent.updated',
          orgId: before.org_id,
          target: { type: 'agent', id },
          summary: diff,
        });
        return present(visibleAgent(scope, id));
      });
    },

    assign(actor: Principal, scope: OrgScope, input: ChannelParsedInput<'agents.assign'>): Agent[] {
      return store.transaction(() => {
        const at = effectiveTime(actor, input.at);
        const org = assignable(scope, input.orgId);
        const agents = [...new Set(input.agentIds)].map((id) => visibleAgent(scope, id));
        const elsewhere = agents.filter((agent) => agent.org_id !== null && agent.org_id !== org.id);
        if (elsewhere.length > 0 && !input.move) {
          const where = elsewhere.map((agent) => `${agent.name} is in ${agent.org_name}`).join('; ');
          throw new AppError(
            'CONFLICT',
            `Move ${plural(elsewhere.length, 'agent')} to ${org.name}? ${where}.`,
            {
              needsMove: elsewhere.map((agent) => ({
                agentId: agent.id,
                name: agent.name,
                from: agent.org_name,
              })),
            },
          );
        }
        for (const agent of agents) {
          if (agent.org_id === org.id) continue;
          reassign(agent, org.id, at);
          audit.recordMove(actor, {
            action: agent.org_id ? 'agent.moved' : 'agent.assigned',
            target: { type: 'agent', id: agent.id },
            named: { handle: agent.handle },
            from: agent.org_id ? { id: agent.org_id, label: agent.org_slug ?? agent.org_id } : null,
            to: { id: org.id, label: org.slug },
          });
        }
        return reread(
          scope,
          agents.map((agent) => agent.id),
        );
      });
    },

    unassign(actor: Principal, scope: OrgScope, input: ChannelParsedInput<'agents.unassign'>): Agent[] {
      return store.transaction(() => {
        const at = effectiveTime(actor, input.at);
        const agents = [...new Set(input.agentIds)].map((id) => visibleAgent(scope, id));
        for (const agent of agents) {
          if (!agent.org_id)
            throw new AppError('CONFLICT', `${agent.name} is not assigned to an organization.`);
          reassign(agent, null, at);
          audit.record(actor, {
            action: 'agent.unassigned',
            orgId: agent.org_id,
            target: { type: 'agent', id: agent.id },
            summary: { handle: agent.handle, before: { org: agent.org_slug }, after: { org: null, at } },
          });
        }
        // An unassigned agent leaves a bound user's scope: only what stays visible comes back.
        return reread(
          scope,
          agents.map((agent) => agent.id),
        );
      });
    },

    delete(actor: Principal, scope: OrgScope, id: string): void {
      store.transaction(() => {
        const agent = visibleAgent(scope, id);
        if (agent.org_id) {
          throw new AppError(
            'CONFLICT',
            `${agent.name} is assigned to ${agent.org_name}: unassign it first.`,
          );
        }
        store.agents.markDeleted(id, clock.now().toISOString());
        audit.record(actor, {
          action: 'agent.deleted',
          orgId: null,
          target: { type: 'agent', id },
          summary: { before: { handle: agent.handle, ...view(agent) } },
        });
      });
    },
  };

  type ImportInput = ChannelParsedInput<'agents.import'>;
  type CreateInput = ChannelParsedInput<'agents.create'>;

  /** Each row checked as `agents.create` would check it, plus what only the whole file shows. */
  function checkRows(actor: Principal, scope: OrgScope, body: { line: number; cells: string[] }[]) {
    const firstLineOf = new Map<string, number>();
    return body.map(({ line, cells }) => {
      const [name = '', handle = '', email = '', model = '', org = '', rate = ''] = cells.map((cell) =>
        cell.trim(),
      );
      const problems: string[] = [];
      if (cells.length !== AGENT_IMPORT_COLUMNS.length)
        problems.push(`Has ${cells.length} columns; the header has ${AGENT_IMPORT_COLUMNS.length}`);
      const target = org ? store.orgs.getBySlug(scope, org) : undefined;
      if (org && (!target || target.deleted_at)) problems.push(`org: No organization with the slug “${org}”`);
      else if (target && !target.active) problems.push(`org: ${target.name} is inactive`);
      else if (target && !allowsIn(actor, 'agents.manage', target.id))
        problems.push(`org: Your role in ${target.name} does not allow adding agents`);
      if (!org && !scope.seesAll) problems.push('org: Choose the organization the agent joins');
      const parsed = agentChannels['agents.create'].input.safeParse({
        name,
        handle,
        email,
        model,
        ...(rate ? { rate } : {}),
        ...(target ? { orgId: target.id } : {}),
      });
      for (const issue of parsed.success ? [] : parsed.error.issues)
        problems.push(`${String(issue.path[0] ?? 'row')}: ${issue.message}`);
      if (rate && !allows(actor, 'billing.manage'))
        problems.push('rate: Only owners, admins and billing admins set rates');
      const earlier = firstLineOf.get(handle);
      if (handle && earlier !== undefined) problems.push(`handle: Also on line ${earlier}`);
      else if (handle && handleInUse(handle)) problems.push('handle: This handle is taken');
      if (handle && earlier === undefined) firstLineOf.set(handle, line);
      const row: AgentImportRow = { line, name, handle, email, model, org, rate, problems };
      return { row, input: parsed.success ? (parsed.data as CreateInput) : null };
    });
  }

  /**
   * Agents from a CSV file, all or none: every row is checked first, and only a file without a
   * problem is imported, through `create`, in one transaction.
   */
  function importAgents(actor: Principal, scope: OrgScope, input: ImportInput) {
    const [header, ...body] = parseCsv(input.csv);
    const columns = header?.cells.map((cell) => cell.trim().toLowerCase()).join(',');
    if (columns !== AGENT_IMPORT_COLUMNS.join(',')) {
      const expected = AGENT_IMPORT_COLUMNS.join(', ');
      return { rows: [], problems: [`The first line must be the header: ${expected}`], imported: 0 };
    }
    if (body.length === 0)
      return { rows: [], problems: ['The file has no agents below its header'], imported: 0 };
    if (body.length > 1000) return { rows: [], problems: ['At most 1000 agents at once'], imported: 0 };
    const checked = checkRows(actor, scope, body);
    const rows = checked.map(({ row }) => row);
    if (input.dryRun || rows.some((row) => row.problems.length > 0))
      return { rows, problems: [], imported: 0 };
    store.transaction(() => {
      for (const { input: agent } of checked) if (agent) service.create(actor, scope, agent);
      audit.record(actor, {
        action: 'agents.imported',
        orgId: null,
        target: { type: 'agent', id: 'import' },
        summary: { after: { agents: rows.length, handles: rows.map((row) => row.handle) } },
      });
    });
    return { rows, problems: [], imported: rows.length };
  }

  return { ...service, import: importAgents };
}

export type AgentsService = ReturnType<typeof createAgentsService>;
