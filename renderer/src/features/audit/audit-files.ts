import type { AuditEntry } from '../../../../shared/contract/audit';

export type AuditFormat = 'csv' | 'json';

export const auditJson = (entries: AuditEntry[]) => `${JSON.stringify(entries, null, 2)}\n`;

export function auditFileName(format: AuditFormat, day: string, orgSlug?: string): string {
  return `orgdeck-audit${orgSlug ? `-${orgSlug}` : ''}-${day}.${format}`;
}
