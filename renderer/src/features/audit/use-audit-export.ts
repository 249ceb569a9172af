import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { AuditEntry } from '../../../../shared/contract/audit';
import { auditCsv } from '../../../../shared/domain/audit-csv';
import { call, errorMessage } from '../../api/client';
import { downloadText } from '../../ui/download';
import { type AuditFormat, auditFileName, auditJson } from './audit-files';
import type { AuditListInput } from './queries';

const EXPORT_PAGE_SIZE = 500;

export interface ExportRequest {
  format: AuditFormat;
  filter: Omit<AuditListInput, 'page' | 'pageSize'>;
  orgSlug?: string;
  orgName: (id: string) => string | undefined;
}

/** Every entry the filter matches, oldest first, read a page at a time. */
async function collect(
  filter: ExportRequest['filter'],
  onProgress: (done: number, total: number) => void,
): Promise<AuditEntry[]> {
  const byId = new Map<number, AuditEntry>();
  for (let page = 1; ; page++) {
    const { items, total } = await call('audit.list', { ...filter, page, pageSize: EXPORT_PAGE_SIZE });
    // An entry written meanwhile pushes older ones a place down the pages: a repeat is kept once.
    for (const entry of items) byId.set(entry.id, entry);
    onProgress(byId.size, total);
    if (items.length < EXPORT_PAGE_SIZE) break;
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** Saves the filtered trail as a file, reporting how far it got while it reads the pages. */
export function useAuditExport() {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);

  async function run({ format, filter, orgSlug, orgName }: ExportRequest) {
    setProgress({ done: 0, total: 0 });
    try {
      const entries = await collect(filter, (done, total) => setProgress({ done, total }));
      const fileName = auditFileName(format, new Date().toISOString().slice(0, 10), orgSlug);
      if (format === 'csv') downloadText(fileName, auditCsv(entries, orgName));
      else downloadText(fileName, auditJson(entries), 'application/json');
      notifications.show({
        color: 'teal',
        title: 'Exported',
        message: `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} in ${fileName}.`,
      });
    } catch (error) {
      notifications.show({ color: 'red', title: 'Could not export', message: errorMessage(error) });
    } finally {
      setProgress(null);
    }
  }

  return { run, progress };
}
