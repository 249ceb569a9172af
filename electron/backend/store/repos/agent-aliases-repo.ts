import type { AliasIdentity, AliasKind, AliasSource } from '../../../../shared/domain/usage-identity';
import type { Db } from '../engine';

export interface AgentAliasRow {
  source: AliasSource;
  kind: AliasKind;
  value: string;
  agent_id: string;
  created_at: string;
}

/** An alias with the agent it names, as lists show it. */
export type AgentAliasView = AgentAliasRow & {
  agent_handle: string;
  agent_name: string;
  agent_org_id: string | null;
};

/** Live agents' handles by the identity that names them: source, then kind, then value. */
export type AliasHandles = Map<AliasSource, Map<AliasKind, Map<string, string>>>;

const VIEW = `SELECT l.source, l.kind, l.value, l.agent_id, l.created_at,
    a.handle AS agent_handle, a.name AS agent_name, a.org_id AS agent_org_id
  FROM agent_aliases l JOIN agents a ON a.id = l.agent_id`;

/**
 * Maps the identities provider exports name (keys, projects, workspaces, users, teams), and
 * handles our own usage files name that no agent has, to agents.
 */
export function createAgentAliasesRepo(db: Db) {
  const insert = db.prepare<AgentAliasRow>(
    `INSERT INTO agent_aliases (source, kind, value, agent_id, created_at)
     VALUES (:source, :kind, :value, :agent_id, :created_at)`,
  );
  const byIdentity = db.prepare<AliasIdentity, AgentAliasView>(
    `${VIEW} WHERE l.source = :source AND l.kind = :kind AND l.value = :value`,
  );
  const all = db.prepare<[], AgentAliasView>(`${VIEW} ORDER BY a.handle, l.source, l.kind, l.value`);
  const ofAgent = db.prepare<[string], AgentAliasView>(
    `${VIEW} WHERE l.agent_id = ? ORDER BY l.source, l.kind, l.value`,
  );
  const remove = db.prepare<AliasIdentity>(
    'DELETE FROM agent_aliases WHERE source = :source AND kind = :kind AND value = :value',
  );
  // Deleted agents keep their aliases (restoring history needs them) but no longer take usage.
  const live = db.prepare<[], { source: AliasSource; kind: AliasKind; value: string; handle: string }>(
    `SELECT l.source, l.kind, l.value, a.handle
     FROM agent_aliases l JOIN agents a ON a.id = l.agent_id WHERE a.deleted_at IS NULL`,
  );

  return {
    insert: (row: AgentAliasRow) => void insert.run(row),
    find: (identity: AliasIdentity): AgentAliasView | undefined => byIdentity.get(identity),
    list: (agentId?: string): AgentAliasView[] => (agentId === undefined ? all.all() : ofAgent.all(agentId)),
    /** Whether there was such an alias. */
    remove: (identity: AliasIdentity): boolean => remove.run(identity).changes > 0,
    handles(): AliasHandles {
      const handles: AliasHandles = new Map();
      for (const row of live.iterate()) {
        let kinds = handles.get(row.source);
        if (kinds === undefined) {
          kinds = new Map();
          handles.set(row.source, kinds);
        }
        let values = kinds.get(row.kind);
        if (values === undefined) {
          values = new Map();
          kinds.set(row.kind, values);
        }
        values.set(row.value, row.handle);
      }
      return handles;
    },
  };
}
