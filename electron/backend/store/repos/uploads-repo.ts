import type { UploadPurpose } from '../../../../shared/contract/billing';
import { type Db, onPostgres } from '../engine';

export interface UploadRow {
  id: string;
  /** Null for the local owner (the desktop window, the CLI). */
  user_id: string | null;
  /** Said at the start; an upload started without one is checked against its limit when imported. */
  purpose: UploadPurpose | null;
  file_name: string;
  size: number;
  received: number;
  last_active_at: string;
}

const OWNED_BY = '(user_id = :user_id OR (user_id IS NULL AND :user_id IS NULL))';

/**
 * Unfinished uploads in the store, so the next chunk may reach any server sharing the database.
 * Their bytes are rows too on PostgreSQL, where servers share nothing else; beside a SQLite store
 * they are a file in the data directory (services/uploads-service.ts), so a 2 GB usage file never
 * grows the database file.
 */
export function createUploadsRepo(db: Db) {
  const begin = db.prepare<UploadRow>(
    `INSERT INTO uploads (id, user_id, purpose, file_name, size, received, last_active_at)
     VALUES (:id, :user_id, :purpose, :file_name, :size, :received, :last_active_at)`,
  );
  const owned = db.prepare<{ id: string; user_id: string | null }, UploadRow>(
    `SELECT * FROM uploads WHERE id = :id AND ${OWNED_BY}`,
  );
  const openOf = db.prepare<{ user_id: string | null }, { uploads: number; bytes: number }>(
    `SELECT count(*) AS uploads, coalesce(sum(size), 0) AS bytes FROM uploads WHERE ${OWNED_BY}`,
  );
  const exists = db.prepare<{ id: string }, number>('SELECT 1 FROM uploads WHERE id = :id').pluck();
  // Only from where the upload stands: two servers given the same chunk at once accept it once.
  const advance = db.prepare<{ id: string; offset: number; length: number; at: string }>(
    `UPDATE uploads SET received = received + :length, last_active_at = :at
     WHERE id = :id AND received = :offset AND received + :length <= size`,
  );
  // Only PostgreSQL has the table.
  const chunks = onPostgres(db)
    ? {
        // A chunk another server took at the same time is its: this one is told where the upload
        // stands (a duplicate key would be a server error).
        add: db.prepare<{ upload_id: string; start: number; data: Uint8Array }>(
          `INSERT INTO upload_chunks (upload_id, start, data) VALUES (:upload_id, :start, :data)
           ON CONFLICT (upload_id, start) DO NOTHING`,
        ),
        at: db
          .prepare<{ upload_id: string; start: number }, Uint8Array>(
            'SELECT data FROM upload_chunks WHERE upload_id = :upload_id AND start = :start',
          )
          .pluck(),
      }
    : null;
  const remove = db.prepare<{ id: string }>('DELETE FROM uploads WHERE id = :id');
  const removeIdle = db
    .prepare<{ before: string }, string>('DELETE FROM uploads WHERE last_active_at < :before RETURNING id')
    .pluck();

  const inStore = () => {
    if (!chunks) throw new Error('Upload bytes are kept in the store on PostgreSQL only.');
    return chunks;
  };

  return {
    /** Whether an upload's bytes are kept in the store (PostgreSQL) rather than in a file beside it. */
    bytesInStore: chunks !== null,
    begin: (row: UploadRow) => void begin.run(row),
    /** The upload, if `userId` started it. */
    owned: (id: string, userId: string | null) => owned.get({ id, user_id: userId }),
    /** The user's unfinished uploads, and the bytes they announced. */
    openOf: (userId: string | null) => openOf.get({ user_id: userId }) ?? { uploads: 0, bytes: 0 },
    exists: (id: string) => exists.get({ id }) !== undefined,
    /** Counts `length` more bytes received, if the upload had `offset` so far and room for them. */
    advance: (id: string, offset: number, length: number, at: string) =>
      advance.run({ id, offset, length, at }).changes === 1,
    /** Keeps a chunk's bytes in the store (bytesInStore only); false when one starts there already. */
    addChunk: (uploadId: string, start: number, data: Uint8Array) =>
      inStore().add.run({ upload_id: uploadId, start, data }).changes === 1,
    /** The chunk that starts at byte `start`, if one does (bytesInStore only). */
    chunkAt: (uploadId: string, start: number) => inStore().at.get({ upload_id: uploadId, start }),
    /** Removes an upload (and its chunks); whether it was still there. */
    remove: (id: string) => remove.run({ id }).changes === 1,
    /** Removes the uploads nothing was sent to since `before`; their ids. */
    removeIdle: (before: string) => removeIdle.all({ before }),
  };
}

export type UploadsRepo = ReturnType<typeof createUploadsRepo>;
