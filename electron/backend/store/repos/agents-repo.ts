import type { Db } from '../database';

export function createAgentsRepo(db: Db) {
  const countAssigned = db.prepare<{ org_id: string }, { n: number }>(
    'SELECT count(*) AS n FROM agents WHERE org_id = :org_id',
  );
  return {
    countAssigned: (orgId: string) => countAssigned.get({ org_id: orgId })?.n ?? 0,
  };
}

export type AgentsRepo = ReturnType<typeof createAgentsRepo>;
