import type { PostgresMigration } from '../migrate';

/**
 * Each usage import adds its sums to month rows already there (INSERT … ON CONFLICT DO UPDATE).
 * On full pages every such update writes a new row version elsewhere and a new primary-key entry;
 * with room left on the page it stays there (a heap-only update: no index is written, and the old
 * version is pruned in place). Measured on 6 batches of 140,000 month rows, 5 of them updates:
 * 1.95 s of database CPU at fill factor 100, 1.37 s at 70. New pages follow it; existing ones fill
 * as before until the table is rewritten.
 */
export const usageMonthRollupsFillfactor: PostgresMigration = {
  version: 10,
  name: 'Usage month rollups leave room on each page for in-place updates',
  sql: `
    ALTER TABLE usage_months SET (fillfactor = 70);
    ALTER TABLE usage_org_months SET (fillfactor = 70);
  `,
};
