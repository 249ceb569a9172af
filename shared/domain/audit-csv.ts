import type { AuditEntry } from '../contract/audit';
import { type CsvColumn, csvDocument } from './csv';

/**
 * The audit trail's CSV columns, for the console's export and `orgdeck audit export` alike: times
 * in UTC, the org by id and name (empty once the org is purged), the summary as JSON.
 */
export function auditCsvColumns(orgName: (id: string) => string | undefined): CsvColumn<AuditEntry>[] {
  const text = (header: string, value: (entry: AuditEntry) => unknown): CsvColumn<AuditEntry> => ({
    header,
    kind: 'text',
    value,
  });
  return [
    { header: 'id', kind: 'number', value: (entry) => entry.id },
    text('at', (entry) => entry.at),
    text('actor', (entry) => entry.actor),
    text('org_id', (entry) => entry.orgId),
    text('org', (entry) => (entry.orgId ? (orgName(entry.orgId) ?? '') : '')),
    text('action', (entry) => entry.action),
    text('target_type', (entry) => entry.target.type),
    text('target_id', (entry) => entry.target.id),
    text('summary', (entry) => entry.summary),
    text('hash', (entry) => entry.hash),
  ];
}

export function auditCsv(entries: Iterable<AuditEntry>, orgName: (id: string) => string | undefined): string {
  return csvDocument(auditCsvColumns(orgName), entries);
}
