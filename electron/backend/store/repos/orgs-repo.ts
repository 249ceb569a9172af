import { type Db, onPostgres } from '../engine';
import type { OrgScope } from '../org-scope';

export interface OrgRow {
  id: string;
  slug: string;
  name: string;
  is_owner: 0 | 1;
  timezone: string;
  rate_micros: number;
  billing_mode: 'prorated' | 'full_month';
  contact_name: string;
  contact_email: string;
  description: string;
  /** Monthly cost cap in micro-USD; null for none. */
  budget_micros: number | null;
  /** Budget alert thresholds, percentages as a JSON array ("[80,100]"). */
  alert_thresholds: string;
  active: 0 | 1;
  deleted_at: string | null;
  created_at: string;
  updated_at: string;
}

/** An org as read back, with the count of agents assigned to it now. */
export type OrgWithCounts = OrgRow & { agent_count: number };

const SELECT = `SELECT orgs.*,
  (SELECT count(*) FROM agents WHERE agents.org_id = orgs.id AND agents.deleted_at IS NULL) AS agent_count
  FROM orgs`;

/** An org's rate and billing mode from the beginning (dated changes are in org_terms). */
export type BillingTerms = Pick<OrgRow, 'id' | 'rate_micros' | 'billing_mode'>;

export type OrgStatusFilter = 'current' | 'active' | 'inactive' | 'deleted';

export type EditableOrgFields = Pick<
  OrgRow,
  | 'name'
  | 'timezone'
  | 'rate_micros'
  | 'billing_mode'
  | 'contact_name'
  | 'contact_email'
  | 'description'
  | 'budget_micros'
  | 'alert_thresholds'
>;

const IN_SCOPE = '(:scope IS NULL OR id IN (SELECT value FROM json_each(:scope)))';
const STATUS = `(
  (:status = 'current' AND deleted_at IS NULL) OR
  (:status = 'active' AND deleted_at IS NULL AND active = 1) OR
  (:status = 'inactive' AND deleted_at IS NULL AND active = 0) OR
  (:status = 'deleted' AND deleted_at IS NOT NULL))`;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export function createOrgsRepo(db: Db) {
  const list = db.prepare<
    { scope: string | null; search: string | null; status: OrgStatusFilter },
    OrgWithCounts
  >(
    `${SELECT}
     WHERE ${IN_SCOPE} AND ${STATUS}
       AND (:search IS NULL OR name LIKE '%' || :search || '%' ESCAPE '\\' OR slug LIKE '%' || :search || '%' ESCAPE '\\')
     ORDER BY is_owner DESC, name COLLATE NOCASE, slug`,
  );
  const byId = db.prepare<{ scope: string | null; id: string }, OrgWithCounts>(
    `${SELECT} WHERE id = :id AND ${IN_SCOPE}`,
  );
  const bySlug = db.prepare<{ scope: string | null; slug: string }, OrgWithCounts>(
    `${SELECT} WHERE slug = :slug AND ${IN_SCOPE}`,
  );
  const slugHolder = db.prepare<{ slug: string }, { name: string }>(
    'SELECT name FROM orgs WHERE slug = :slug',
  );
  const revealNewOrg = onPostgres(db)
    ? db.prepare<{ id: string }>(
        `SELECT set_config('orgdeck.org_ids',
                           concat_ws(',', nullif(current_setting('orgdeck.org_ids', true), ''), CAST(:id AS text)), true)`,
      )
    : null;
  const insert = db.prepare<OrgRow>(
    `INSERT INTO orgs (id, slug, name, is_owner, timezone, rate_micros, billing_mode, contact_name, contact_email,
                       description, budget_micros, alert_thresholds, active, deleted_at, created_at, updated_at)
     VALUES (:id, :slug, :name, :is_owner, :timezone, :rate_micros, :billing_mode, :contact_name, :contact_email,
             :description, :budget_micros, :alert_thresholds, :active, :deleted_at, :created_at, :updated_at)`,
  );
  const update = db.prepare<EditableOrgFields & { id: string; updated_at: string }>(
    `UPDATE orgs SET name = :name, timezone = :timezone, rate_micros = :rate_micros, billing_mode = :billing_mode,
       contact_name = :contact_name, contact_email = :contact_email, description = :description,
       budget_micros = :budget_micros, alert_thresholds = :alert_thresholds, updated_at = :updated_at
     WHERE id = :id`,
  );
  const setActive = db.prepare<{ id: string; active: 0 | 1; updated_at: string }>(
    'UPDATE orgs SET active = :active, updated_at = :updated_at WHERE id = :id',
  );
  const setDeleted = db.prepare<{ id: string; deleted_at: string | null; updated_at: string }>(
    'UPDATE orgs SET deleted_at = :deleted_at, updated_at = :updated_at WHERE id = :id',
  );
  const deletedBefore = db.prepare<{ cutoff: string }, { id: string }>(
    'SELECT id FROM orgs WHERE deleted_at IS NOT NULL AND deleted_at <= :cutoff',
  );
  const remove = db.prepare<{ id: string }>('DELETE FROM orgs WHERE id = :id AND is_owner = 0');
  const billingTerms = db.prepare<[], BillingTerms>('SELECT id, rate_micros, billing_mode FROM orgs');
  const ids = db.prepare<[], string>('SELECT id FROM orgs ORDER BY id').pluck();
  const isLive = db.prepare<{ id: string }, { id: string }>(
    'SELECT id FROM orgs WHERE id = :id AND deleted_at IS NULL',
  );

  return {
    list(scope: OrgScope, filter: { search?: string; status: OrgStatusFilter }): OrgWithCounts[] {
      return list.all({
        scope: scope.sqlParam,
        search: filter.search ? escapeLike(filter.search) : null,
        status: filter.status,
      });
    },
    get: (scope: OrgScope, id: string) => byId.get({ scope: scope.sqlParam, id }),
    getBySlug: (scope: OrgScope, slug: string) => bySlug.get({ scope: scope.sqlParam, slug }),
    nameOfSlug: (slug: string) => slugHolder.get({ slug })?.name,
    insert(row: OrgRow) {
      // Row-level security: the transaction that creates an org may write its rows (terms,
      // memberships) too. Who may create orgs at all is the router's permission check.
      if (revealNewOrg) revealNewOrg.run({ id: row.id });
      insert.run(row);
    },
    update: (id: string, fields: EditableOrgFields, at: string) =>
      void update.run({ ...fields, id, updated_at: at }),
    setActive: (id: string, active: boolean, at: string) =>
      void setActive.run({ id, active: active ? 1 : 0, updated_at: at }),
    setDeleted: (id: string, deletedAt: string | null, at: string) =>
      void setDeleted.run({ id, deleted_at: deletedAt, updated_at: at }),
    deletedBefore: (cutoff: string) => deletedBefore.all({ cutoff }).map((row) => row.id),
    remove: (id: string) => void remove.run({ id }),
    /** Every org's rate and billing mode, deleted ones too. */
    billingTerms: () => billingTerms.all(),
    /** Every org's id, deleted ones too: the orgs usage may be placed in (row-level security names them). */
    ids: () => ids.all(),
    /** Exists and is not deleted; for checks that are not a tenant read (sign-in). */
    isLive: (id: string) => isLive.get({ id }) !== undefined,
  };
}

export type OrgsRepo = ReturnType<typeof createOrgsRepo>;
