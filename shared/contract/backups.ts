import * as z from 'zod';
import { channel } from './channel';

export const BACKUP_KINDS = ['automatic', 'manual', 'before-restore'] as const;
export const BackupKind = z.enum(BACKUP_KINDS);
export type BackupKind = z.infer<typeof BackupKind>;

export const Backup = z.object({
  /** The file's name in the data directory's backups folder: what a restore names. */
  name: z.string(),
  kind: BackupKind,
  createdAt: z.string(),
  sizeBytes: z.number().int().nonnegative(),
});
export type Backup = z.infer<typeof Backup>;

export const backupChannels = {
  'backups.list': channel({
    summary:
      'The backups in the data directory, newest first: daily, manual, and stores kept aside by a restore',
    kind: 'read',
    permission: 'settings.manage',
    input: z.object({}).strict(),
    output: z.object({ items: z.array(Backup) }),
  }),
  'backups.create': channel({
    summary: 'Back up the store now (kept until deleted by hand; daily backups are pruned)',
    kind: 'write',
    permission: 'settings.manage',
    input: z.object({}).strict(),
    output: Backup,
  }),
  'backups.restore': channel({
    summary:
      'Replace the store with a backup after checking it; the current store is kept aside as a backup and everyone signs in again',
    kind: 'write',
    alone: true,
    permission: 'backups.restore',
    input: z.object({ file: z.string().min(1, 'Choose a backup').max(200) }).strict(),
    output: z.object({
      restored: z.string(),
      previousStoreKeptAs: z.string(),
      statementsKept: z
        .array(z.string())
        .describe('Numbers of the statements and credit notes issued since the backup, kept as issued'),
    }),
  }),
};

/** What a restore says of the documents it kept (statementsKept), in the console and the CLI alike. */
export function statementsKeptSentence(numbers: readonly string[]): string {
  const one = numbers.length === 1;
  return `${one ? '1 document' : `${numbers.length} documents`} issued since the backup ${one ? 'is' : 'are'} kept as issued: ${numbers.join(', ')}.`;
}
