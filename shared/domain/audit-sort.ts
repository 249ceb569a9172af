/**
 * What the trail sorts by: time is the chain's order, the others tie-break newest first. Outside the
 * contract's schemas, so the console can name them without loading the schema library.
 */
export const AUDIT_SORTS = ['time', 'org', 'actor', 'action'] as const;
export type AuditSort = (typeof AUDIT_SORTS)[number];
