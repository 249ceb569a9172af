import type { Migration } from '../migrate';

interface KeptBadRow {
  line: number;
  reason: string;
}

/** The handle a "no agent" reason names, as imports word it (batch-writer). */
const MISSING_AGENT = /^no agent with the handle "(.*)"$/;

export const importProblems: Migration = {
  version: 19,
  name: 'Import problems: a usage import’s bad rows counted per reason, so the console groups them',
  sql: `
    -- JSON: [{ reason, rows, agent }], one entry per distinct reason, most rows first; agent is the
    -- handle a "no agent" problem names (null otherwise). Counted over every bad row, where
    -- bad_rows keeps only the first hundred.
    ALTER TABLE import_jobs ADD COLUMN problems TEXT NOT NULL DEFAULT '[]';
  `,
  // Jobs imported before: their problems are counted from the bad rows they kept.
  after(db) {
    const jobs = db.prepare<[], { id: string; bad_rows: string }>(
      "SELECT id, bad_rows FROM import_jobs WHERE bad_rows <> '[]'",
    );
    const save = db.prepare<{ id: string; problems: string }>(
      'UPDATE import_jobs SET problems = :problems WHERE id = :id',
    );
    for (const job of jobs.all()) {
      const counts = new Map<string, number>();
      for (const row of JSON.parse(job.bad_rows) as KeptBadRow[])
        counts.set(row.reason, (counts.get(row.reason) ?? 0) + 1);
      const problems = [...counts]
        .map(([reason, rows]) => ({ reason, rows, agent: MISSING_AGENT.exec(reason)?.[1] ?? null }))
        .sort((a, b) => b.rows - a.rows);
      save.run({ id: job.id, problems: JSON.stringify(problems) });
    }
  },
};
