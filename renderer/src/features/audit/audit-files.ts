import type { AuditEntry } from '../../../../shared/contract/audit';
import { spreadsheetCell } from '../../../../shared/domain/csv';

export type AuditFormat = 'csv' | 'json';

const HEADER = [
  'id',
  'at',
  'actor',
  'org_id',
  'org',
  'action',
  'target_type',
  'target_id',
  'summary',
  'hash',
];

const line = (cells: unknown[]) => cells.map(spreadsheetCell).join(',');

/** The CLI's `audit export` columns plus the org's name; times in UTC, the summary as JSON. */
export function auditCsv(entries: AuditEntry[], orgName: (id: string) => string | undefined): string {
  const rows = entries.map((entry) =>
    line([
      entry.id,
      entry.at,
      entry.actor,
      entry.orgId,
      entry.orgId ? (orgName(entry.orgId) ?? '') : '',
      entry.action,
      entry.target.type,
      entry.target.id,
      entry.summary,
      entry.hash,
    ]),
  );
  return `${[line(HEADER), ...rows].join('\r\n')}\r\n`;
}

export const auditJson = (entries: AuditEntry[]) => `${JSON.stringify(entries, null, 2)}\n`;

export function auditFileName(format: AuditFormat, day: string, orgSlug?: string): string {
  return `orgdeck-audit${orgSlug ? `-${orgSlug}` : ''}-${day}.${format}`;
}
