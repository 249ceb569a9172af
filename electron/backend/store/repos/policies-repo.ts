import { type Db, onPostgres } from '../engine';

export interface PolicyRow {
  id: string;
  org_id: string;
  kind: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PolicyVersionRow {
  policy_id: string;
  version: number;
  name: string;
  description: string;
  config: string;
  enabled: 0 | 1;
  change: string;
  at: string;
  actor_label: string;
}

export type CurrentPolicy = PolicyRow & Omit<PolicyVersionRow, 'policy_id' | 'version' | 'at'>;

export interface DefaultsRow {
  default_decision: 'allow' | 'deny';
  approval_timeout_minutes: number;
  require_description: 0 | 1;
}

const CURRENT = `SELECT p.*, v.name, v.description, v.config, v.enabled, v.change, v.actor_label
  FROM policies p JOIN policy_versions v ON v.policy_id = p.id AND v.version = p.version`;

/**
 * Adds a version of a policy that exists. PostgreSQL keys a version by its policy's org too
 * (policy_versions.org_id, on the org's shard), taken from the policy: row-level security checks it.
 */
export function prepareAddPolicyVersion(db: Db) {
  return db.prepare<PolicyVersionRow>(
    onPostgres(db)
      ? `INSERT INTO policy_versions (org_id, policy_id, version, name, description, config, enabled, change, at, actor_label)
         SELECT org_id, :policy_id, :version, :name, :description, :config, :enabled, :change, :at, :actor_label
         FROM policies WHERE id = :policy_id`
      : `INSERT INTO policy_versions (policy_id, version, name, description, config, enabled, change, at, actor_label)
         VALUES (:policy_id, :version, :name, :description, :config, :enabled, :change, :at, :actor_label)`,
  );
}

export function createPoliciesRepo(db: Db) {
  const ofOrg = db.prepare<{ org: string }, CurrentPolicy>(
    `${CURRENT} WHERE p.org_id = :org ORDER BY v.name COLLATE NOCASE`,
  );
  const byId = db.prepare<{ id: string }, CurrentPolicy>(`${CURRENT} WHERE p.id = :id`);
  const versions = db.prepare<{ id: string }, PolicyVersionRow>(
    `SELECT policy_id, version, name, description, config, enabled, change, at, actor_label
     FROM policy_versions WHERE policy_id = :id ORDER BY version`,
  );
  const insert = db.prepare<PolicyRow>(
    'INSERT INTO policies (id, org_id, kind, version, created_at, updated_at) VALUES (:id, :org_id, :kind, :version, :created_at, :updated_at)',
  );
  const addVersion = prepareAddPolicyVersion(db);
  const setVersion = db.prepare<{ id: string; version: number; at: string }>(
    'UPDATE policies SET version = :version, updated_at = :at WHERE id = :id',
  );
  const remove = db.prepare<{ id: string }>('DELETE FROM policies WHERE id = :id');
  const defaults = db.prepare<{ org: string }, DefaultsRow>(
    'SELECT * FROM policy_defaults WHERE org_id = :org',
  );
  const saveDefaults = db.prepare<DefaultsRow & { org: string }>(
    `INSERT INTO policy_defaults (org_id, default_decision, approval_timeout_minutes, require_description)
     VALUES (:org, :default_decision, :approval_timeout_minutes, :require_description)
     ON CONFLICT (org_id) DO UPDATE SET default_decision = excluded.default_decision,
       approval_timeout_minutes = excluded.approval_timeout_minutes, require_description = excluded.require_description`,
  );

  return {
    ofOrg: (orgId: string) => ofOrg.all({ org: orgId }),
    get: (id: string) => byId.get({ id }),
    versions: (id: string) => versions.all({ id }),
    /** A new policy with its first version. */
    insert(row: PolicyRow, first: PolicyVersionRow): void {
      insert.run(row);
      addVersion.run(first);
    },
    /** Appends a version and makes it current. */
    append(version: PolicyVersionRow): void {
      addVersion.run(version);
      setVersion.run({ id: version.policy_id, version: version.version, at: version.at });
    },
    remove: (id: string) => void remove.run({ id }),
    defaults: (orgId: string) => defaults.get({ org: orgId }),
    saveDefaults: (orgId: string, row: DefaultsRow) => void saveDefaults.run({ ...row, org: orgId }),
  };
}

export type PoliciesRepo = ReturnType<typeof createPoliciesRepo>;
