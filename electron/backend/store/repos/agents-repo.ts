import type { Db } from '../engine';
import type { OrgScope } from '../org-scope';

export interface AgentRow {
  id: string;
  handle: string;
  name: string;
  email: string;
  model: string;
  status: 'active' | 'paused' | 'stopped';
  description: string;
  rate_micros: number | null;
  org_id: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** An agent as read back: with its org's name, slug and whether the org is active. */
export type AgentView = AgentRow & {
  org_slug: string | null;
  org_name: string | null;
  org_active: 0 | 1 | null;
  assigned_since: string | null;
};

export interface AssignmentRow {
  id: number;
  agent_id: string;
  org_id: string;
  org_slug: string;
  org_name: string;
  from_at: string;
  to_at: string | null;
}

export interface BillableAgent {
  id: string;
  handle: string;
  name: string;
  rate_micros: number | null;
}

export type AgentSort = 'name' | 'handle' | 'model' | 'status' | 'org' | 'updatedAt';

export interface AgentFilter {
  org?: string;
  search?: string;
  status?: AgentRow['status'] | 'stopped_by_org';
  sort: AgentSort;
  direction: 'asc' | 'desc';
  /** At most this many rows; every matching row when absent. */
  limit?: number;
  offset: number;
}

/** LIMIT of no limit on both engines: SQLite refuses NULL, PostgreSQL a negative count. */
const EVERY_ROW = Number.MAX_SAFE_INTEGER;

/** Each sort's ORDER BY terms, `way` the direction. */
const ORDER: Record<AgentSort, (way: 'ASC' | 'DESC') => string> = {
  name: (way) => `a.name COLLATE NOCASE ${way}`,
  handle: (way) => `a.handle ${way}`,
  model: (way) => `a.model COLLATE NOCASE ${way}`,
  status: (way) => `a.status ${way}`,
  // Unassigned agents (no org) first going up and last going down, on both engines: PostgreSQL
  // otherwise puts NULLs at the other end from SQLite.
  org: (way) => `(o.name IS NOT NULL) ${way}, o.name COLLATE NOCASE ${way}`,
  updatedAt: (way) => `a.updated_at ${way}`,
};

const VIEW = `SELECT a.*, o.slug AS org_slug, o.name AS org_name, o.active AS org_active,
    (SELECT from_at FROM agent_assignments WHERE agent_id = a.id AND to_at IS NULL) AS assigned_since
  FROM agents a LEFT JOIN orgs o ON o.id = a.org_id`;

// A scoped session sees agents of its orgs only; unassigned agents (org_id NULL) never match a set.
const WHERE = `a.deleted_at IS NULL
  AND (:scope IS NULL OR a.org_id IN (SELECT value FROM json_each(:scope)))
  AND (:org IS NULL OR (:org = 'unassigned' AND a.org_id IS NULL) OR a.org_id = :org)
  AND (:status IS NULL OR (:status = 'stopped_by_org' AND o.active = 0)
       OR (a.status = :status AND (o.active IS NULL OR o.active = 1)))
  AND (:search IS NULL OR a.name LIKE :search ESCAPE '\\' OR a.handle LIKE :search ESCAPE '\\'
       OR a.email LIKE :search ESCAPE '\\' OR a.model LIKE :search ESCAPE '\\')`;

type ListParams = { scope: string | null; org: string | null; status: string | null; search: string | null };

export function createAgentsRepo(db: Db) {
  type PageStatement = ReturnType<
    typeof db.prepare<ListParams & { limit: number; offset: number }, AgentView>
  >;
  /** One prepared page query per sort and direction, made when first asked for. */
  const pages = new Map<AgentSort, Map<'asc' | 'desc', PageStatement>>();
  const count = db.prepare<ListParams, { n: number }>(
    `SELECT count(*) AS n FROM agents a LEFT JOIN orgs o ON o.id = a.org_id WHERE ${WHERE}`,
  );
  const byId = db.prepare<{ scope: string | null; id: string }, AgentView>(
    `${VIEW} WHERE a.id = :id AND a.deleted_at IS NULL
       AND (:scope IS NULL OR a.org_id IN (SELECT value FROM json_each(:scope)))`,
  );
  const byHandle = db.prepare<{ scope: string | null; handle: string }, AgentView>(
    `${VIEW} WHERE a.handle = :handle AND a.deleted_at IS NULL
       AND (:scope IS NULL OR a.org_id IN (SELECT value FROM json_each(:scope)))`,
  );
  const handleTaken = db.prepare<{ handle: string }, { name: string }>(
    'SELECT name FROM agents WHERE handle = :handle AND deleted_at IS NULL',
  );
  // An old handle an alias maps still names its agent in usage files (attribution.ts).
  const handleInUse = db
    .prepare<{ handle: string }, number>(
      `SELECT 1 FROM agents WHERE handle = :handle AND deleted_at IS NULL
       UNION ALL
       SELECT 1 FROM agent_aliases l JOIN agents a ON a.id = l.agent_id
         WHERE l.source = 'orgdeck' AND l.kind = 'handle' AND l.value = :handle AND a.deleted_at IS NULL
       LIMIT 1`,
    )
    .pluck();
  const insert = db.prepare<AgentRow>(
    `INSERT INTO agents (id, handle, name, email, model, status, description, rate_micros, org_id, created_at, updated_at, deleted_at)
     VALUES (:id, :handle, :name, :email, :model, :status, :description, :rate_micros, :org_id, :created_at, :updated_at, :deleted_at)`,
  );
  const update = db.prepare<Omit<AgentRow, 'handle' | 'created_at' | 'deleted_at'>>(
    `UPDATE agents SET name = :name, email = :email, model = :model, status = :status, description = :description,
       rate_micros = :rate_micros, org_id = :org_id, updated_at = :updated_at
     WHERE id = :id`,
  );
  const markDeleted = db.prepare<{ id: string; at: string }>(
    'UPDATE agents SET deleted_at = :at, updated_at = :at WHERE id = :id',
  );
  const history = db.prepare<{ agent_id: string }, AssignmentRow>(
    `SELECT h.*, o.slug AS org_slug, o.name AS org_name FROM agent_assignments h JOIN orgs o ON o.id = h.org_id
     WHERE h.agent_id = :agent_id ORDER BY h.from_at`,
  );
  const openInterval = db.prepare<{ agent_id: string; org_id: string; from_at: string }>(
    'INSERT INTO agent_assignments (agent_id, org_id, from_at, to_at) VALUES (:agent_id, :org_id, :from_at, NULL)',
  );
  const closeInterval = db.prepare<{ agent_id: string; to_at: string }>(
    'UPDATE agent_assignments SET to_at = :to_at WHERE agent_id = :agent_id AND to_at IS NULL',
  );

  const allAssignments = db.prepare<[], Omit<AssignmentRow, 'id' | 'org_slug' | 'org_name'>>(
    'SELECT agent_id, org_id, from_at, to_at FROM agent_assignments',
  );
  const billable = db.prepare<[], BillableAgent>('SELECT id, handle, name, rate_micros FROM agents');

  function pageStatement(sort: AgentSort, direction: 'asc' | 'desc') {
    let bySort = pages.get(sort);
    if (!bySort) {
      bySort = new Map();
      pages.set(sort, bySort);
    }
    let statement = bySort.get(direction);
    if (!statement) {
      const way = direction === 'desc' ? 'DESC' : 'ASC';
      statement = db.prepare(
        `${VIEW} WHERE ${WHERE} ORDER BY ${ORDER[sort](way)}, a.id LIMIT :limit OFFSET :offset`,
      );
      bySort.set(direction, statement);
    }
    return statement;
  }

  return {
    page(scope: OrgScope, filter: AgentFilter): { rows: AgentView[]; total: number } {
      const params: ListParams = {
        scope: scope.sqlParam,
        org: filter.org ?? null,
        status: filter.status ?? null,
        search: filter.search ? `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null,
      };
      const rows = pageStatement(filter.sort, filter.direction).all({
        ...params,
        limit: filter.limit ?? EVERY_ROW,
        offset: filter.offset,
      });
      return { rows, total: count.get(params)?.n ?? 0 };
    },
    get: (scope: OrgScope, id: string) => byId.get({ scope: scope.sqlParam, id }),
    getByHandle: (scope: OrgScope, handle: string) => byHandle.get({ scope: scope.sqlParam, handle }),
    nameOfHandle: (handle: string) => handleTaken.get({ handle })?.name,
    /**
     * Whether usage files naming `handle` count as an agent's already: its own handle, or an old one
     * an alias maps to it. A new agent taking it would take that agent's rows, whichever org's.
     */
    handleInUse: (handle: string) => handleInUse.get({ handle }) !== undefined,
    insert: (row: AgentRow) => void insert.run(row),
    update: ({ handle: _h, created_at: _c, deleted_at: _d, ...row }: AgentRow) => void update.run(row),
    markDeleted: (id: string, at: string) => void markDeleted.run({ id, at }),
    history: (agentId: string) => history.all({ agent_id: agentId }),
    openInterval: (agentId: string, orgId: string, from: string) =>
      void openInterval.run({ agent_id: agentId, org_id: orgId, from_at: from }),
    closeInterval: (agentId: string, to: string) => void closeInterval.run({ agent_id: agentId, to_at: to }),
    /** Every assignment interval, for billing. */
    allAssignments: () => allAssignments.all(),
    /** Every agent ever registered, deleted ones too: past months still bill them. */
    billable: () => billable.all(),
  };
}

export type AgentsRepo = ReturnType<typeof createAgentsRepo>;
