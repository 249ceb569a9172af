import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { KNOWLEDGE_EXTENSIONS } from '../../../../shared/domain/knowledge-text';
import { call, errorMessage } from '../../api/client';
import { uploadFile } from '../../api/upload';
import { knowledgeKeys } from './queries';

export type FileStatus = 'refused' | 'waiting' | 'uploading' | 'importing' | 'added' | 'failed';

export interface FileImport {
  key: string;
  file: File;
  status: FileStatus;
  sent: number;
  /** Why the file was refused or failed; the added document's title once in. */
  note: string;
}

const extensionOf = (name: string) => /\.[^.]+$/.exec(name)?.[0]?.toLowerCase() ?? '';

/** Why a file cannot go in, checked before anything is sent; null when it may. */
function refusalOf(file: File): string | null {
  if (!(KNOWLEDGE_EXTENSIONS as readonly string[]).includes(extensionOf(file.name))) {
    return 'Not a .md, .txt, .html or .pdf file.';
  }
  return file.size === 0 ? 'The file is empty.' : null;
}

/** Bytes counted toward the overall bar: a file that ended, either way, counts whole. */
const doneBytes = (item: FileImport) =>
  item.status === 'added' || item.status === 'failed' ? item.file.size : item.sent;

/**
 * Files going into an org's knowledge one after another: each is uploaded in chunks (with its
 * progress), then imported; a refusal names its file and the others go on. One at a time keeps
 * the server's limit of open uploads out of the way.
 */
export function useFileImport(orgId: string) {
  const [files, setFiles] = useState<FileImport[]>([]);
  const [running, setRunning] = useState(false);
  const client = useQueryClient();
  // Closing the dialog stops the queue after the chunk in flight.
  const stop = useRef<AbortController | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    stop.current = controller;
    return () => controller.abort();
  }, []);

  const patch = (key: string, change: Partial<FileImport>) =>
    setFiles((current) => current.map((item) => (item.key === key ? { ...item, ...change } : item)));

  function pick(picked: File[]) {
    setFiles(
      picked.map((file, i) => {
        const refusal = refusalOf(file);
        return {
          key: `${i}:${file.name}`,
          file,
          status: refusal ? 'refused' : 'waiting',
          sent: 0,
          note: refusal ?? '',
        };
      }),
    );
  }

  async function run(tags: string[]) {
    setRunning(true);
    const signal = stop.current?.signal;
    const tally = { added: 0, failed: 0 };
    for (const item of files.filter((candidate) => candidate.status === 'waiting')) {
      if (signal?.aborted) break;
      try {
        patch(item.key, { status: 'uploading' });
        const uploadId = await uploadFile(
          item.file,
          'knowledge',
          (sent) => patch(item.key, { sent }),
          signal,
        );
        patch(item.key, { status: 'importing' });
        const doc = await call('knowledge.importFile', { orgId, uploadId, ...(tags.length ? { tags } : {}) });
        patch(item.key, { status: 'added', note: doc.title });
        tally.added++;
      } catch (error) {
        patch(item.key, { status: 'failed', note: errorMessage(error) });
        tally.failed++;
      }
    }
    setRunning(false);
    if (tally.added > 0) await client.invalidateQueries({ queryKey: knowledgeKeys.all });
    return tally;
  }

  const accepted = files.filter((item) => item.status !== 'refused');
  const total = accepted.reduce((sum, item) => sum + item.file.size, 0);
  const sent = accepted.reduce((sum, item) => sum + doneBytes(item), 0);
  return {
    files,
    accepted,
    running,
    finished:
      accepted.length > 0 && accepted.every((item) => item.status === 'added' || item.status === 'failed'),
    progress: total > 0 ? Math.min(100, (sent / total) * 100) : 0,
    pick,
    run,
  };
}
