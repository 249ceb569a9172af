import type { Db } from '../database';
import type { OrgScope } from '../org-scope';

export interface OrgRow {
  id: string;
  slug: string;
  name: string;
  is_owner: 0 | 1;
  timezone: string;
  rate_micros: number;
  created_at: string;
  updated_at: string;
}

export type NewOrgRow = Omit<OrgRow, 'updated_at'>;

const IN_SCOPE = '(:scope IS NULL OR id IN (SELECT value FROM json_each(:scope)))';

export function createOrgsRepo(db: Db) {
  const list = db.prepare<{ scope: string | null; search: string | null }, OrgRow>(
    `SELECT * FROM orgs
     WHERE ${IN_SCOPE}
       AND (:search IS NULL OR name LIKE '%' || :search || '%' ESCAPE '\\' OR slug LIKE '%' || :search || '%' ESCAPE '\\')
     ORDER BY is_owner DESC, name COLLATE NOCASE, slug`,
  );
  const byId = db.prepare<{ scope: string | null; id: string }, OrgRow>(
    `SELECT * FROM orgs WHERE id = :id AND ${IN_SCOPE}`,
  );
  const slugTaken = db.prepare<{ slug: string }, { name: string }>(
    'SELECT name FROM orgs WHERE slug = :slug',
  );
  const ownerOrg = db.prepare<[], OrgRow>('SELECT * FROM orgs WHERE is_owner = 1');
  const insert = db.prepare<OrgRow>(
    `INSERT INTO orgs (id, slug, name, is_owner, timezone, rate_micros, created_at, updated_at)
     VALUES (:id, :slug, :name, :is_owner, :timezone, :rate_micros, :created_at, :updated_at)`,
  );
  const rename = db.prepare<{ id: string; name: string; updated_at: string }>(
    'UPDATE orgs SET name = :name, updated_at = :updated_at WHERE id = :id',
  );

  return {
    list(scope: OrgScope, search?: string): OrgRow[] {
      const pattern = search ? search.replace(/[\\%_]/g, (c) => `\\${c}`) : null;
      return list.all({ scope: scope.sqlParam, search: pattern });
    },
    get(scope: OrgScope, id: string): OrgRow | undefined {
      return byId.get({ scope: scope.sqlParam, id });
    },
    nameOfSlug(slug: string): string | undefined {
      return slugTaken.get({ slug })?.name;
    },
    ownerOrg(): OrgRow | undefined {
      return ownerOrg.get();
    },
    insert(row: NewOrgRow): void {
      insert.run({ ...row, updated_at: row.created_at });
    },
    rename(id: string, name: string, at: string): void {
      rename.run({ id, name, updated_at: at });
    },
  };
}

export type OrgsRepo = ReturnType<typeof createOrgsRepo>;
